using System.Buffers;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// R2 MaskedInputCollection: adds each masked input to a running sum as it arrives (memory O(length), never
/// O(clients x length)); closes by announcing the survivor set.
/// </summary>
public sealed class ServerR2MaskedInputState : ServerState
{
    private readonly ulong[][] _sums;
    private readonly HashSet<uint> _received = [];

    internal ServerR2MaskedInputState(ServerContext context)
        : base(context)
    {
        Expected = new HashSet<uint>(context.SharedKeys);
        _sums = [.. context.Parameters.Vectors.Select(v => new ulong[v.Length])];
    }

    /// <inheritdoc />
    public override string Name => "R2 MaskedInputCollection";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.MaskedInputCollection;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _received;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
    {
        MaskedInput body = MessageCodec.Decode<MaskedInput>(envelope.Body, envelope.Body.Length);
        var specs = Context.Parameters.Vectors;
        if (body.Version != 1 || body.Vectors is null || body.Vectors.Length != specs.Count)
        {
            return new(RejectionReason.WrongLength, $"expected {specs.Count} vector(s)");
        }
        for (int j = 0; j < specs.Count; j++)
        {
            long expected = (long)specs[j].Length * ModularArithmetic.ElementBytes(specs[j].Bits);
            if (body.Vectors[j] is null || body.Vectors[j].Length != expected)
            {
                return new(RejectionReason.WrongLength, $"vector {j} must be {expected} bytes ({specs[j].Length} elements of {specs[j].Bits} bits)");
            }
        }
        // Decode every vector before touching the sums, so a bad element leaves the round as it was.
        var decoded = new ulong[specs.Count][];
        try
        {
            for (int j = 0; j < specs.Count; j++)
            {
                decoded[j] = ArrayPool<ulong>.Shared.Rent(specs[j].Length);
                if (!ModularArithmetic.TryDecode(body.Vectors[j], specs[j].Bits, decoded[j].AsSpan(0, specs[j].Length)))
                {
                    return new(RejectionReason.WrongLength, $"vector {j} has an element not below 2^{specs[j].Bits}");
                }
            }
            for (int j = 0; j < specs.Count; j++)
            {
                ModularArithmetic.AddInPlace(_sums[j], decoded[j].AsSpan(0, specs[j].Length), specs[j].Bits);
            }
        }
        finally
        {
            foreach (ulong[]? d in decoded)
            {
                if (d is not null)
                {
                    ArrayPool<ulong>.Shared.Return(d);
                }
            }
        }
        _received.Add(envelope.SenderId);
        return null;
    }

    /// <summary>
    /// The running sums (one per vector) of the masked inputs accepted so far: what a durable host stores after each
    /// accepted message instead of the individual inputs. Read-only view; do not modify.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<ulong>> RunningSums => [.. _sums.Select(s => (ReadOnlyMemory<ulong>)s)];

    /// <summary>
    /// Restores the stage after a restart from a stored running sum and the clients it includes. Only valid before any
    /// message was handled in this state.
    /// </summary>
    /// <exception cref="InvalidOperationException">Messages were already accepted in this state.</exception>
    /// <exception cref="ArgumentException">The sums do not match the configured vectors or a contributor is not expected.</exception>
    public void Restore(IReadOnlyList<ulong[]> runningSums, IEnumerable<uint> contributors)
    {
        ArgumentNullException.ThrowIfNull(runningSums);
        ArgumentNullException.ThrowIfNull(contributors);
        if (_received.Count != 0)
        {
            throw new InvalidOperationException("restore is only possible before any masked input was accepted");
        }
        var specs = Context.Parameters.Vectors;
        if (runningSums.Count != specs.Count || runningSums.Select((v, j) => v.Length != specs[j].Length).Any(b => b))
        {
            throw new ArgumentException("the stored sums do not match the configured vectors", nameof(runningSums));
        }
        uint[] ids = [.. contributors];
        if (ids.Any(id => !Expected.Contains(id)) || ids.Distinct().Count() != ids.Length)
        {
            throw new ArgumentException("a stored contributor is not expected in this stage (or is listed twice)", nameof(contributors));
        }
        for (int j = 0; j < specs.Count; j++)
        {
            runningSums[j].CopyTo(_sums[j], 0);
        }
        _received.UnionWith(ids);
    }

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        uint[] survivors = Sorted(_received);
        if (survivors.Length < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{survivors.Length} masked inputs, fewer than t = {Context.Parameters.Threshold}", Context.SharedKeys);
        }
        Context.Survivors = survivors;
        return new ServerTransition(new ServerR3ConsistencyCheckState(Context, _sums), [new OutgoingMessage(survivors, new SurvivorSet { Survivors = survivors })]);
    }
}
