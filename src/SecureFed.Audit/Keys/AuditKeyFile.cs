using System.Text.Json;
using SecureFed.Transcripts;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Audit.Keys;

/// <summary>
/// The auditor's key file of a seeded simulation (protocol-spec/transcript.md, "Key file"): every simulated client's
/// secrets and plain inputs, bound to one round by the configuration hash. A real deployment never produces it.
/// </summary>
public sealed class AuditKeyFile : IDisposable
{
    /// <summary>The value of the "format" field.</summary>
    public const string FormatName = "securefed-audit-keys/v1";

    private AuditKeyFile(long seed, byte[] configurationHash, IReadOnlyList<AuditClientKeys> clients)
    {
        Seed = seed;
        ConfigurationHash = configurationHash;
        Clients = clients;
    }

    /// <summary>The simulation seed the secrets were derived from.</summary>
    public long Seed { get; }

    /// <summary>SHA-256 configuration hash of the round (protocol-spec/secagg.md 2.1): which round the file belongs to.</summary>
    public byte[] ConfigurationHash { get; }

    /// <summary>The clients, ascending id.</summary>
    public IReadOnlyList<AuditClientKeys> Clients { get; }

    /// <summary>Derives the key file of a seeded simulation from its seed and the inputs it fed each client.</summary>
    public static AuditKeyFile Create(long seed, RoundConfiguration configuration, Func<uint, ulong[][]> inputs)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(inputs);
        RoundParameters parameters = RoundParameters.Create(configuration);
        var clients = new List<AuditClientKeys>();
        foreach (uint id in parameters.ClientIds)
        {
            SimulatedClientSecrets s = SimulatedClientSecrets.Derive(seed, id);
            ulong[][] x = inputs(id);
            byte[][] encoded = [.. x.Select((v, j) => ModularArithmetic.Encode(v, parameters.Vectors[j].Bits))];
            clients.Add(new AuditClientKeys(id, s.IdentitySeed, s.MaskPrivateKey, s.EncryptionPrivateKey, s.SelfMaskSeed, encoded));
        }
        return new AuditKeyFile(seed, parameters.ConfigurationHash.ToArray(), clients);
    }

    /// <summary>Writes the file as indented JSON (keys in hex, inputs in base64).</summary>
    public void Save(string path)
    {
        var dto = new KeyFileDto
        {
            Format = FormatName,
            Warning = "Secrets of simulated clients, for auditing a sample run only. A real deployment never produces this file.",
            Seed = Seed,
            ConfigurationHash = Convert.ToHexStringLower(ConfigurationHash),
            Clients = [.. Clients.Select(c => new ClientJson
            {
                Id = c.ClientId,
                IdentitySeed = Convert.ToHexStringLower(c.IdentitySeed),
                MaskPrivateKey = Convert.ToHexStringLower(c.MaskPrivateKey),
                EncryptionPrivateKey = Convert.ToHexStringLower(c.EncryptionPrivateKey),
                SelfMaskSeed = Convert.ToHexStringLower(c.SelfMaskSeed),
                Inputs = [.. c.Inputs.Select(Convert.ToBase64String)],
            })],
        };
        File.WriteAllText(path, JsonSerializer.Serialize(dto, KeyFileJson.Options));
    }

    /// <summary>Reads and validates a key file.</summary>
    /// <exception cref="TranscriptFormatException">Not JSON, wrong format name, or a field missing or of the wrong size (named).</exception>
    public static AuditKeyFile Load(string path)
    {
        var dto = KeyFileJson.Load<KeyFileDto>(path, FormatName, d => d.Format);
        byte[] configHash = KeyFileJson.Hex32(dto.ConfigurationHash, "configurationHash");
        var clients = new List<AuditClientKeys>();
        foreach (ClientJson c in KeyFileJson.Ascending(dto.Clients, c => c.Id))
        {
            string at = $"clients[id {c.Id}]";
            byte[][] inputs;
            try
            {
                inputs = [.. (c.Inputs ?? []).Select(s => Convert.FromBase64String(s ?? ""))];
            }
            catch (FormatException)
            {
                throw new TranscriptFormatException($"key file: field '{at}.inputs' is not base64");
            }
            clients.Add(new AuditClientKeys(c.Id, KeyFileJson.Hex32(c.IdentitySeed, $"{at}.identitySeed"), KeyFileJson.Hex32(c.MaskPrivateKey, $"{at}.maskPrivateKey"),
                KeyFileJson.Hex32(c.EncryptionPrivateKey, $"{at}.encryptionPrivateKey"), KeyFileJson.Hex32(c.SelfMaskSeed, $"{at}.selfMaskSeed"), inputs));
        }
        return new AuditKeyFile(dto.Seed, configHash, clients);
    }

    /// <summary>The client's keys, or null when the file has none for it.</summary>
    public AuditClientKeys? For(uint clientId) => Clients.FirstOrDefault(c => c.ClientId == clientId);

    /// <summary>Wipes every client's secrets.</summary>
    public void Dispose()
    {
        foreach (AuditClientKeys c in Clients)
        {
            c.Dispose();
        }
    }

    private sealed class KeyFileDto
    {
        public string? Format { get; set; }

        public string? Warning { get; set; }

        public long Seed { get; set; }

        public string? ConfigurationHash { get; set; }

        public List<ClientJson?>? Clients { get; set; }
    }

    private sealed class ClientJson
    {
        public uint Id { get; set; }

        public string? IdentitySeed { get; set; }

        public string? MaskPrivateKey { get; set; }

        public string? EncryptionPrivateKey { get; set; }

        public string? SelfMaskSeed { get; set; }

        public List<string?>? Inputs { get; set; }
    }
}
