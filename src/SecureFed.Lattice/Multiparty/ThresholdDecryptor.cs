using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// A decryptor's side of threshold collective decryption. It produces a share only for a verified aggregate:
/// the request must open at least <see cref="MinimumClients"/> distinct clients' uploads of this round, each
/// opening matching the commitment that client sent this decryptor directly; the decryptor sums the opened c1
/// components itself, so it can only ever decrypt that sum. Per round it answers at most
/// <see cref="AggregationOptions.MaxDecryptionAttempts"/> requests (so the aggregator can retry with another
/// participant set), each for a different participant set and all for the identical aggregate: two different
/// aggregates could be subtracted to isolate one client, and many shares of one ciphertext would let the flooding
/// be averaged away (protocol-spec/he.md, "Retry").
/// </summary>
public sealed class ThresholdDecryptor : IDisposable
{
    private readonly ThresholdKeyShare _share;
    private readonly Dictionary<long, Dictionary<int, byte[]>> _commitments = [];
    private readonly Dictionary<long, AnsweredRound> _answered = [];

    /// <summary>Creates the decryptor; it takes ownership of <paramref name="share"/>.</summary>
    public ThresholdDecryptor(ThresholdKeyShare share, int minimumClients)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (minimumClients < 1 || minimumClients > share.Plan.Options.Clients)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumClients), $"minimumClients must be in [1, {share.Plan.Options.Clients}]");
        }
        _share = share;
        MinimumClients = minimumClients;
    }

    /// <summary>1-based decryptor index.</summary>
    public int Party => _share.Party;

    /// <summary>Fewest distinct client uploads an aggregate must contain.</summary>
    public int MinimumClients { get; }

    /// <summary>Records the commitment <paramref name="client"/> sent for <paramref name="round"/> (first one wins).</summary>
    public void RegisterCommitment(long round, int client, ReadOnlySpan<byte> commitment)
    {
        if (commitment.Length != UploadCommitment.Size)
        {
            throw new ArgumentException($"commitment must be {UploadCommitment.Size} bytes", nameof(commitment));
        }
        if (!_commitments.TryGetValue(round, out var perClient))
        {
            _commitments[round] = perClient = [];
        }
        perClient.TryAdd(client, commitment.ToArray());
    }

    /// <summary>Checks the request and returns this decryptor's share of the aggregate's decryption.</summary>
    /// <exception cref="DecryptionRefusedException">The request is not a verified aggregate of this round, or the round was already answered.</exception>
    public DecryptionShare CreateShare(DecryptionRequest request, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(random);
        var plan = _share.Plan;
        var p = plan.Parameters;
        int n = p.Degree;
        int level = plan.UploadLevel;
        var participants = request.Participants.ToArray();
        if (participants.Length != plan.Shares || participants.Distinct().Count() != participants.Length
            || participants.Any(j => j < 1 || j > plan.Options.Decryptors) || !participants.Contains(Party))
        {
            throw new DecryptionRefusedException($"participants must be {plan.Shares} distinct decryptors including {Party}");
        }
        int[] sortedSet = [.. participants.Order()];
        _answered.TryGetValue(request.Round, out var answered);
        if (answered is not null)
        {
            if (answered.Sets.Count >= plan.Options.MaxDecryptionAttempts)
            {
                throw new DecryptionRefusedException($"round {request.Round} was already decrypted {answered.Sets.Count} times by this decryptor (the limit)");
            }
            if (answered.Sets.Any(set => set.SequenceEqual(sortedSet)))
            {
                throw new DecryptionRefusedException($"round {request.Round} was already decrypted for this participant set");
            }
        }
        if (request.Openings.Count < MinimumClients)
        {
            throw new DecryptionRefusedException($"aggregate opens {request.Openings.Count} client uploads; at least {MinimumClients} are required");
        }
        if (!_commitments.TryGetValue(request.Round, out var committed))
        {
            throw new DecryptionRefusedException($"no client commitments for round {request.Round}");
        }
        byte[] aggregateDigest = AggregateDigest(request.Round, request.Openings.Keys, committed);
        if (answered is not null && !CryptographicOperations.FixedTimeEquals(answered.AggregateDigest, aggregateDigest))
        {
            throw new DecryptionRefusedException($"round {request.Round} was already decrypted for another aggregate; a retry must open the identical set of uploads");
        }
        ulong[][]? sums = null;
        foreach (var (client, opening) in request.Openings)
        {
            if (opening is null || !committed.TryGetValue(client, out byte[]? expected)
                || !CryptographicOperations.FixedTimeEquals(expected, UploadCommitment.Compute(request.Round, client, opening)))
            {
                throw new DecryptionRefusedException($"upload of client {client} does not match a commitment of round {request.Round}");
            }
            bool shaped;
            try
            {
                shaped = CiphertextCodec.AddMasks(opening.Masks.Span, p, level, plan.Options.Bodies, ref sums);
            }
            catch (HeFormatException e)
            {
                throw new DecryptionRefusedException($"upload of client {client} is malformed", e);
            }
            if (!shaped)
            {
                throw new DecryptionRefusedException($"upload of client {client} has the wrong shape");
            }
        }
        answered ??= _answered[request.Round] = new AnsweredRound(aggregateDigest);
        answered.Sets.Add(sortedSet);
        if (answered.Sets.Count >= plan.Options.MaxDecryptionAttempts)
        {
            _commitments.Remove(request.Round); // the round is closed for this decryptor
        }
        ulong flood = FloodingBound(plan);
        var lagrange = LagrangeAtZero(p, level, Party, participants);
        int bodies = plan.Options.Bodies;
        ulong[][] masks = sums!;
        int blocks = masks.Length;
        // The flooding noise is drawn first, in the order he.md fixes (block by block, body by body), so the blocks
        // can then be computed in parallel with the same result as one after another.
        var noise = new ulong[blocks * bodies * n];
        for (int at = 0; at < blocks * bodies; at++)
        {
            Samplers.Uniform(random, noise.AsSpan(at * n, n), 2 * flood + 1);
        }
        var output = new ulong[blocks * bodies][];
        try
        {
            Parallel.For(0, blocks, b => ShareBlock(p, level, bodies, masks[b], lagrange, flood, noise, output, b));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(noise.AsSpan()));
        }
        return new DecryptionShare(Party, request.Round, participants, output);
    }

    /// <summary>Wipes the key share.</summary>
    public void Dispose() => _share.Dispose();

    // Block b's polynomials: lambda_j * S_(j,k) * c1 + e for every body k. The Lagrange coefficient multiplies c1
    // once in the NTT domain (the product is linear), instead of every body's result after its inverse NTT.
    private void ShareBlock(BfvParameters p, int level, int bodies, ulong[] c1, ulong[] lagrange, ulong flood, ulong[] noise, ulong[][] output, int b)
    {
        int n = p.Degree;
        p.Ring.ForwardNtt(c1, level);
        for (int i = 0; i < level; i++)
        {
            ulong q = p.Ring.Moduli[i].Value;
            ulong l = lagrange[i];
            ulong lShoup = ModArith.ShoupPrecompute(l, q);
            var c = c1.AsSpan(i * n, n);
            for (int z = 0; z < n; z++)
            {
                c[z] = ModArith.MulShoup(c[z], l, lShoup, q);
            }
        }
        for (int k = 0; k < bodies; k++)
        {
            var x = new ulong[level * n];
            for (int i = 0; i < level; i++)
            {
                ulong q = p.Ring.Moduli[i].Value;
                int at = (k * level + i) * n;
                PolyArith.MulShoup(c1.AsSpan(i * n, n), _share.Ntt.Slice(at, n), _share.NttShoup.Slice(at, n), x.AsSpan(i * n, n), q);
            }
            p.Ring.InverseNtt(x, level);
            ReadOnlySpan<ulong> e = noise.AsSpan((b * bodies + k) * n, n);
            for (int i = 0; i < level; i++)
            {
                Modulus m = p.Ring.Moduli[i];
                ulong q = m.Value;
                ulong floodModQ = ModArith.Reduce64(flood, m);
                var xi = x.AsSpan(i * n, n);
                for (int z = 0; z < n; z++)
                {
                    // noise - flood, uniform in [-flood, flood]
                    xi[z] = ModArith.Add(xi[z], ModArith.Sub(ModArith.Reduce64(e[z], m), floodModQ, q), q);
                }
            }
            output[b * bodies + k] = x;
        }
    }

    /// <summary>
    /// Identifies the aggregate a request opens: SHA-256("SecureFed/he/aggregate/v1" || BE64(round) || for each
    /// opened client in ascending id order, BE32(id) || its commitment). Called before the openings are verified;
    /// a request whose openings then fail verification is refused anyway. Clients without a commitment hash
    /// 32 zero bytes (their opening is refused below).
    /// </summary>
    internal static byte[] AggregateDigest(long round, IEnumerable<int> clients, IReadOnlyDictionary<int, byte[]> commitments)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData("SecureFed/he/aggregate/v1"u8);
        Span<byte> be = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(be, round);
        h.AppendData(be);
        Span<byte> zero = stackalloc byte[UploadCommitment.Size];
        foreach (int client in clients.Order())
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(be, client);
            h.AppendData(be[..4]);
            h.AppendData(commitments.TryGetValue(client, out byte[]? c) ? c : zero);
        }
        return h.GetHashAndReset();
    }

    // What a decryptor remembers about a round it answered: the aggregate and the participant sets used.
    private sealed class AnsweredRound(byte[] aggregateDigest)
    {
        public byte[] AggregateDigest { get; } = aggregateDigest;

        public List<int[]> Sets { get; } = [];
    }

    /// <summary>Per-decryptor flooding bound 2^(FloodingBits) * B_agg (protocol-spec/he.md, "Flooding").</summary>
    internal static ulong FloodingBound(AggregationPlan plan)
    {
        double bits = plan.FloodingBoundBits;
        if (bits >= 62)
        {
            throw new HeParameterException("FloodingBits: the flooding bound exceeds 2^62");
        }
        return (ulong)Math.Floor(Math.Pow(2, bits));
    }

    /// <summary>lambda_j = prod_(k in set, k != j) k / (k - j) mod each prime.</summary>
    internal static ulong[] LagrangeAtZero(BfvParameters p, int level, int party, IReadOnlyList<int> set)
    {
        var result = new ulong[level];
        for (int i = 0; i < level; i++)
        {
            Modulus m = p.Ring.Moduli[i];
            ulong num = 1, den = 1;
            foreach (int k in set)
            {
                if (k == party)
                {
                    continue;
                }
                num = ModArith.Mul(num, (ulong)k, m);
                den = ModArith.Mul(den, ModArith.Sub((ulong)k, (ulong)party % m.Value, m.Value), m);
            }
            result[i] = ModArith.Mul(num, ModArith.InversePrime(den, m), m);
        }
        return result;
    }
}
