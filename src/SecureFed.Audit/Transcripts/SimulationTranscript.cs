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
        IRandomSource random = seed is long s ? DeterministicRandomSource.Derive(s, "aggregator") : SystemRandomSource.Instance;
        try
        {
            using IdentityKeyPair aggregator = IdentityKeyPair.Generate(random);
            using FileStream file = File.Create(path);
            TranscriptWriter.Write(file, report.Configuration, recorder.Messages, ResultOf(report, claimedEpsilon), dp, aggregator);
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
