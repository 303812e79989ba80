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
