using SecureFed.Audit.Keys;
using SecureFed.Audit.Reporting;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

// The audit walkthrough (see README.md): one seeded secure-aggregation round with distributed DP, written as a signed
// transcript plus the auditor's key file; verified without and with the key file; an HTML report; then one flipped
// byte, which the verifier must catch. Exit code 0 only when all of that holds.
string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "securefed-audit-walkthrough");
int clients = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12;
const long Seed = 2026;
Directory.CreateDirectory(outDir);

// 1. The round: each client clips, rotates, rounds and noises a model update (distributed DP), then masks it.
DistributedDpPlan plan = DistributedDpPlanner.Plan(new DistributedDpOptions
{
    Epsilon = 2, Delta = 1e-5, ClipNorm = 1, ExpectedClients = clients, MinimumSurvivors = clients * 2 / 3, Dimension = 1000,
});
var rotationSeed = new byte[32]; // public per-round seed of the random rotation
using (var r = DeterministicRandomSource.Derive(Seed, "rotation"))
{
    r.Fill(rotationSeed);
}
var encoder = new DpClientEncoder(plan, rotationSeed);
ulong[][] Input(uint id)
{
    using var r = DeterministicRandomSource.Derive(Seed, "update", id);
    double[] update = [.. Enumerable.Range(0, plan.Dimension).Select(_ => (2 * r.NextDouble() - 1) * 0.03)];
    var encoded = new ulong[plan.PaddedDimension];
    encoder.Encode(update, encoded, r); // a real client draws its noise from the OS CSPRNG
    return [encoded];
}
var recorder = new TranscriptRecorder();
var options = new SimulationOptions
{
    Clients = clients,
    Vectors = [new VectorSpec { Length = plan.PaddedDimension, Bits = plan.Bits }],
    Threshold = clients / 2 + 1,
    // Client 3 never sends its masked input (its masks are removed); client 7 stops before unmasking.
    Dropouts = new Dictionary<uint, ProtocolStage> { [3] = ProtocolStage.MaskedInputCollection, [7] = ProtocolStage.Unmasking },
    Inputs = Input,
    Seed = Seed,
    Observer = recorder,
};
SimulationReport report = new RoundSimulator(options).Run();
Console.WriteLine($"round: {clients} clients, {report.Result?.Survivors.Count ?? 0} survivors, sum matches the plain sum: {report.SumMatches}");

// 2. The aggregator's transcript and claim; the auditor's key file (sample runs only).
var accountant = new DistributedDpAccountant(plan);
accountant.RecordRound(report.Result!.Survivors.Count);
string transcriptPath = Path.Combine(outDir, "round.transcript");
string keysPath = Path.Combine(outDir, "round.keys.json");
string aggregatorKey = SimulationTranscript.Write(transcriptPath, recorder, report, DpRoundRecord.From(plan), accountant.Spent().Epsilon, Seed);
using (AuditKeyFile keyFile = AuditKeyFile.Create(Seed, report.Configuration, Input))
{
    keyFile.Save(keysPath);
}
Console.WriteLine($"wrote {transcriptPath} ({new FileInfo(transcriptPath).Length:N0} bytes, aggregator key {aggregatorKey}) and {keysPath}");

// 3. Verify as an outside auditor (transcript only), then with the key file.
byte[] transcript = File.ReadAllBytes(transcriptPath);
Console.WriteLine("\n== verify (transcript only) ==");
AuditVerification publicView = TranscriptVerifier.Verify(transcript, null, Convert.FromHexString(aggregatorKey));
publicView.WriteText(Console.Out);
Console.WriteLine("\n== verify (with the key file) ==");
AuditVerification withKeys;
using (AuditKeyFile keys = AuditKeyFile.Load(keysPath))
{
    withKeys = TranscriptVerifier.Verify(transcript, keys, Convert.FromHexString(aggregatorKey));
}
withKeys.WriteText(Console.Out);
string reportPath = Path.Combine(outDir, "report.html");
AuditReportWriter.Write(reportPath, withKeys, "round.transcript");
Console.WriteLine($"\nwrote {reportPath}");

// 4. Tamper: flip one bit inside the largest message (a masked input) and verify again.
TranscriptRecord largest = TranscriptReader.Read(transcript).Where(r => r.Kind == TranscriptRecordKind.ClientToServer).MaxBy(r => r.Size)!;
int flipAt = (int)largest.Offset + largest.Size / 2;
byte[] tampered = (byte[])transcript.Clone();
tampered[flipAt] ^= 0x01;
File.WriteAllBytes(Path.Combine(outDir, "tampered.transcript"), tampered);
AuditVerification tamperedView = TranscriptVerifier.Verify(tampered);
Console.WriteLine($"\n== verify (one bit flipped at byte {flipAt}, inside client {largest.Body.Party}'s masked input) ==");
foreach (AuditCheck c in tamperedView.Checks.Where(c => c.Status == AuditCheckStatus.Failed))
{
    Console.WriteLine($"FAIL {c.Id}: {c.Reason}");
}
bool ok = report.SumMatches && publicView.Passed && withKeys.Passed && !tamperedView.Passed;
Console.WriteLine(ok ? "\nwalkthrough OK: honest transcript verified, tampered transcript rejected" : "\nwalkthrough FAILED");
return ok ? 0 : 1;
