using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Simulation;

namespace SecureFed.Cli.Commands;

// `simulate --scheme he --transcript FILE --keys FILE`: the signed transcript of the simulated round
// (protocol-spec/transcript.md, HE rounds) and the auditor's key file (every uploading client's plaintext input).
internal sealed class HeSimulationAudit(string? transcriptPath, string? keysPath, long? seed)
{
    private readonly Dictionary<uint, ulong[]> _inputs = [];
    private HeRoundParameters? _parameters;
    private HeSimulationResult? _result;

    public string? TranscriptPath => transcriptPath;

    // The round's distributed-DP plan (simulate --dp-epsilon), recorded in the transcript header.
    public DpRoundRecord? Dp { get; init; }

    // Remembers a client's input for the key file (the simulator hands each one out once, to the uploading client).
    public ulong[] Keep(uint client, ulong[] input)
    {
        if (keysPath is not null)
        {
            _inputs[client] = (ulong[])input.Clone();
        }
        return input;
    }

    // The finished round, kept so the files are written after the timed run.
    public void Capture(HeRoundParameters parameters, HeSimulationResult result)
    {
        _parameters = parameters;
        _result = result;
    }

    public void Write(TextWriter log)
    {
        if (_parameters is not { } parameters || _result is not { } result)
        {
            return; // the run failed before the round ran
        }
        if (transcriptPath is not null)
        {
            string key = HeSimulationTranscript.Write(transcriptPath, parameters, result, seed, Dp);
            log.WriteLine($"  transcript: {transcriptPath} ({new FileInfo(transcriptPath).Length:N0} bytes), aggregator key {key}");
        }
        if (keysPath is not null)
        {
            using var keys = new HeAuditKeyFile(parameters.ConfigurationHash.Span, _inputs);
            keys.Save(keysPath);
            foreach (ulong[] input in _inputs.Values)
            {
                Array.Clear(input); // private data: keep no copy once written
            }
            log.WriteLine($"  auditor key file: {keysPath} (plaintext inputs of every uploading client: keep it apart from the transcript)");
        }
    }
}
