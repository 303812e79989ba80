using System.Security.Cryptography;
using System.Text.Json;
using SecureFed.Transcripts;

namespace SecureFed.Audit.Keys;

/// <summary>
/// The auditor's key file of a simulated HE round (protocol-spec/transcript.md, "HE key file"): the plaintext
/// (quantized) input of every client that uploaded, bound to the round by its configuration hash, so `keys.sum` can
/// check the published sum. HE clients hold no long-term secret the audit needs; their inputs are the private data.
/// </summary>
public sealed class HeAuditKeyFile : IDisposable
{
    /// <summary>The value of the "format" field.</summary>
    public const string FormatName = "securefed-audit-keys/he-v1";

    private readonly SortedDictionary<uint, ulong[]> _inputs;

    /// <summary>Creates the file's content: the round's configuration hash and each uploading client's values (copied).</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public HeAuditKeyFile(ReadOnlySpan<byte> configurationHash, IReadOnlyDictionary<uint, ulong[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (configurationHash.Length != TranscriptFormat.HashSize)
        {
            throw new ArgumentException("the configuration hash must be 32 bytes", nameof(configurationHash));
        }
        ConfigurationHash = configurationHash.ToArray();
        _inputs = new SortedDictionary<uint, ulong[]>(inputs.ToDictionary(kv => kv.Key, kv => (ulong[])kv.Value.Clone()));
    }

    /// <summary>The HE configuration hash H of the round (protocol-spec/he.md 10).</summary>
    public byte[] ConfigurationHash { get; }

    /// <summary>The uploading clients' quantized inputs (residues mod 2^Bits), by ascending client id.</summary>
    public IReadOnlyDictionary<uint, ulong[]> Inputs => _inputs;

    /// <summary>True when the JSON file at <paramref name="path"/> declares this format (else it is another key file).</summary>
    /// <exception cref="TranscriptFormatException">The file is not JSON.</exception>
    public static bool Declares(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format", out JsonElement f)
                && f.ValueKind == JsonValueKind.String && f.GetString() == FormatName;
        }
        catch (JsonException e)
        {
            throw new TranscriptFormatException($"key file: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Writes the file as indented JSON (hash in hex, inputs as base64 of 8 bytes little-endian per value).</summary>
    public void Save(string path)
    {
        var dto = new FileJson
        {
            Format = FormatName,
            Warning = "Plaintext inputs of simulated clients, for auditing a sample run only. A real deployment never produces this file.",
            ConfigurationHash = Convert.ToHexStringLower(ConfigurationHash),
            Clients = [.. _inputs.Select(kv => new ClientJson { Id = kv.Key, Inputs = Convert.ToBase64String(HeTranscriptResult.EncodeSum(kv.Value)) })],
        };
        File.WriteAllText(path, JsonSerializer.Serialize(dto, KeyFileJson.Options));
    }

    /// <summary>Reads and validates a key file.</summary>
    /// <exception cref="TranscriptFormatException">Not JSON, wrong format name, or a field missing or malformed (named).</exception>
    public static HeAuditKeyFile Load(string path)
    {
        var dto = KeyFileJson.Load<FileJson>(path, FormatName, d => d.Format);
        byte[] hash = KeyFileJson.Hex32(dto.ConfigurationHash, "configurationHash");
        var inputs = new Dictionary<uint, ulong[]>();
        foreach (ClientJson c in KeyFileJson.Ascending(dto.Clients, c => c.Id))
        {
            try
            {
                inputs[c.Id] = new HeTranscriptResult { Sum = Convert.FromBase64String(c.Inputs ?? "") }.DecodeSum();
            }
            catch (FormatException)
            {
                throw new TranscriptFormatException($"key file: field 'clients[id {c.Id}].inputs' is not base64");
            }
        }
        var file = new HeAuditKeyFile(hash, inputs);
        Wipe(inputs.Values);
        return file;
    }

    /// <summary>Wipes the inputs.</summary>
    public void Dispose() => Wipe(_inputs.Values);

    private static void Wipe(IEnumerable<ulong[]> inputs)
    {
        foreach (ulong[] v in inputs)
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        }
    }

    private sealed class FileJson
    {
        public string? Format { get; set; }

        public string? Warning { get; set; }

        public string? ConfigurationHash { get; set; }

        public List<ClientJson?>? Clients { get; set; }
    }

    private sealed class ClientJson
    {
        public uint Id { get; set; }

        public string? Inputs { get; set; }
    }
}
