using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.Privacy.Accounting;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Cli.Commands;

// `simulate --transcript FILE --keys FILE`: writes the transcript of the round just run and the auditor's key file.
internal static class AuditSimulationOutput
{
    public static void Write(string? transcriptPath, string? keysPath, TranscriptRecorder? recorder, SimulationReport report,
        SimulationOptions options, DpInputModel? dp, long? seed, TextWriter log)
    {
        if (transcriptPath is not null && recorder is not null)
        {
            // The aggregator's claim: the accountant charged with the survivors actually summed.
            double claimed = dp is not null && report.Result is not null
                ? DistributedDpAccountant.Project(dp.Plan, report.Result.Survivors.Count, rounds: 1).Epsilon
                : double.NaN;
            string key = SimulationTranscript.Write(transcriptPath, recorder, report, dp is null ? null : DpRoundRecord.From(dp.Plan), claimed, seed);
            log.WriteLine($"  transcript: {transcriptPath} ({new FileInfo(transcriptPath).Length} bytes), aggregator key {key}");
        }
        if (keysPath is not null && seed is long s)
        {
            using AuditKeyFile keys = AuditKeyFile.Create(s, report.Configuration, options.Inputs);
            keys.Save(keysPath);
            log.WriteLine($"  auditor key file: {keysPath} (secrets of every simulated client: keep it apart from the transcript)");
        }
    }
}
