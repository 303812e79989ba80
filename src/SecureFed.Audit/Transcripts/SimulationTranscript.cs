using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Simulation;

using SecureFed.Transcripts;

namespace SecureFed.Audit.Transcripts;

/// <summary>Writes the transcript of a <see cref="RoundSimulator"/> run, signed by a fresh per-run aggregator key.</summary>
public static class SimulationTranscript
{
    /// <summary>
    /// Writes the transcript of <paramref name="report"/>'s round with the messages <paramref name="recorder"/> saw.
    /// The aggregator key is drawn from <paramref name="seed"/> when given (reproducible test runs), else from the OS CSPRNG.
    /// Returns the aggregator's public key (hex) for the operator to publish.
    /// </summary>
    public static string Write(string path, TranscriptRecorder recorder, SimulationReport report, DpRoundRecord? dp,
        double claimedEpsilon, long? seed)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(report);
        return WriteSigned(path, seed, (file, aggregator) =>
            TranscriptWriter.Write(file, report.Configuration, recorder.Messages, ResultOf(report, claimedEpsilon), dp, aggregator));
    }

    // Both schemes' simulated transcripts: a fresh aggregator key (from the seed when given, else the OS CSPRNG) signs
    // what `write` puts in the file at `path`; returns the key's public half (hex).
    internal static string WriteSigned(string path, long? seed, Action<Stream, IdentityKeyPair> write)
    {
        IRandomSource random = seed is long s ? DeterministicRandomSource.Derive(s, "aggregator") : SystemRandomSource.Instance;
        try
        {
            using IdentityKeyPair aggregator = IdentityKeyPair.Generate(random);
            using FileStream file = File.Create(path);
            write(file, aggregator);
            return aggregator.PublicKey.ToString();
        }
        finally
        {
            (random as IDisposable)?.Dispose();
        }
    }

    /// <summary>The published outcome of a simulated round.</summary>
    public static TranscriptResult ResultOf(SimulationReport report, double claimedEpsilon)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Result is { } r)
        {
            return new TranscriptResult
            {
                Completed = true,
                Sums = [.. r.Sums.Select((sum, j) => ModularArithmetic.Encode(sum, report.Configuration.Vectors[j].Bits))],
                Survivors = [.. r.Survivors],
                Dropped = [.. r.Dropped],
                ClaimedEpsilon = claimedEpsilon,
            };
        }
        return new TranscriptResult
        {
            Completed = false,
            AbortReason = (int)(report.AbortReason ?? 0),
            AbortDetail = report.AbortDetail ?? "",
            ClaimedEpsilon = claimedEpsilon,
        };
    }
}
