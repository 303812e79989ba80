using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// FedAvg whose weighted sums are computed under threshold BFV: each client encrypts [w * q(delta), w] (one vector
/// of Length + 1 values mod 2^bits: the total weight fits there too, since clients x MaxWeight x (2R + 1) &lt;= 2^bits)
/// under the committee's collective key and commits to it with every decryptor; the aggregator adds ciphertexts;
/// t decryptors decrypt only that verified sum.
/// </summary>
internal sealed class HeAggregator : IUpdateAggregator, IDisposable
{
    private readonly QuantizedUpdateEncoder _encoder;
    private readonly HeCommittee _committee;
    private readonly UploadEncryptor _encryptor;
    private readonly IRandomSource _random;

    public HeAggregator(QuantizedUpdateEncoder encoder, int clientsPerRound, int decryptors, int threshold, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(random);
        _encoder = encoder;
        _random = random;
        // A weighted value lies in [-MaxWeight R, MaxWeight R]; the weight itself in [1, MaxWeight] is inside that window.
        ulong window = (ulong)encoder.Quantizer.Inner.MaxMagnitude * encoder.Quantizer.MaxWeight;
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            Clients = clientsPerRound,
            InputRange = (2 * window) + 1,
            InputOffset = window,
            Bits = encoder.Quantizer.Inner.Bits,
            Decryptors = decryptors,
            Threshold = threshold,
        });
        _committee = new HeCommittee(plan, clientsPerRound, random);
        _encryptor = new UploadEncryptor(plan, _committee.PublicKey);
    }

    public string Name => "he";

    public AggregationPlan Plan => _committee.Plan;

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        int bits = Plan.Options.Bits;
        int length = _encoder.Length;
        ulong[][][] encoded = _encoder.Encode(updates);
        var plain = new ulong[length + 1];
        var accumulator = new UploadAccumulator(Plan);
        var openings = new Dictionary<int, UploadOpening>();
        var flat = new ulong[length + 1];
        for (int i = 0; i < encoded.Length; i++)
        {
            int client = i + 1;
            encoded[i][0].CopyTo(flat, 0);
            flat[length] = encoded[i][1][0];
            ModularArithmetic.AddInPlace(plain, flat, bits);
            byte[] upload = _encryptor.Encrypt(flat, _random);
            _committee.Commit(round, client, UploadCommitment.Compute(round, client, upload, Plan.Parameters));
            accumulator.Add(upload);
            openings[client] = UploadOpening.FromUpload(upload, Plan.Parameters);
        }
        ulong[] sum = _committee.Decrypt(round, accumulator.Sum, openings, length + 1, _random);
        bool matches = sum.AsSpan().SequenceEqual(plain);
        double[] update = _encoder.Decode([sum[..length], [sum[length]]]);
        return new AggregationOutcome(update, matches);
    }

    public string? Summary() =>
        $"BFV N = {Plan.Parameters.Degree}, t = 2^{Plan.Parameters.PlaintextBits}, {Plan.Options.Decryptors} decryptors (threshold {Plan.Shares}), noise budget left {Plan.NoiseBudgetBits:F1} bits";

    public void Dispose() => _committee.Dispose();
}
