using SecureFed.Client;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// An HE swarm: the first D devices also decrypt; planned dropouts are uploaders that go offline once the key is
/// announced; the decryptor dropout goes silent when asked for its first decryption share (its upload stays in the sum).
/// Inputs are drawn below the largest range for which the sum of every device cannot wrap.
/// </summary>
internal sealed class SwarmHeScheme(SwarmHePlan plan, SwarmPlan shape) : ISwarmScheme
{
    private readonly ulong _inputRange = (ulong.MaxValue >> (64 - shape.Bits)) / (ulong)shape.Clients + 1;
    private int _silenced;

    public string Name => Schemes.He;

    public int Stages => 4;

    // Dropouts are drawn among the uploaders that do not decrypt, so key generation and decryption are unaffected.
    public HashSet<int> PickDropouts(long seed, int clients) => SwarmDevices.PickDropouts(seed, plan.Decryptors, clients - plan.Decryptors, plan.Dropouts);

    public ulong[] Input(long seed, int index) => SwarmDevices.Input(seed, index, shape.Length, random => random.NextBelow(_inputRange));

    public OpenRoundRequest Request(string federation, IReadOnlyList<uint> ids) => new()
    {
        Federation = federation,
        Scheme = Schemes.He,
        StageDeadlineSeconds = shape.DeadlineSeconds,
        StageDeadlinesSeconds = shape.StageDeadlinesSeconds is { } list
            ? [.. list]
            : [shape.DeadlineSeconds, shape.DeadlineSeconds, shape.DeadlineSeconds, plan.DecryptDeadlineSeconds],
        He = new HeRoundRequest
        {
            Decryptors = [.. ids.Take(plan.Decryptors)],
            Threshold = plan.Threshold,
            VectorLength = shape.Length,
            Bits = shape.Bits,
            InputRange = _inputRange,
        },
    };

    public bool GoesOffline(ContributionProgressEventArgs e, bool plannedDropout) =>
        (plannedDropout && e.Step == "received" && e.Stage == (int)HeStage.KeyShares)
        || (plan.DecryptorDropout && e.Step == "decryption-request" && Interlocked.CompareExchange(ref _silenced, 1, 0) == 0);

    public void PrintHead(SwarmReport r, TextWriter output)
    {
        output.WriteLine($"HE round {r.RoundId}: {r.Clients} clients x {r.Length} values ({r.Bits} bits), {plan.Decryptors} decryptors (threshold {r.T}), status {r.Status}");
        output.WriteLine($"  survivors {r.Survivors}, dropped {r.Dropped}, lost {r.Lost}, decryption attempts {r.Attempts}, clients failed {r.ClientsFailed}");
    }
}
