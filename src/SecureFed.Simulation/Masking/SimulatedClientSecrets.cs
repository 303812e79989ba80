using SecureFed.Primitives.Randomness;

namespace SecureFed.Protocol.Simulation;

/// <summary>
/// The secrets of a client in a seeded simulation, for the auditor's key file only (a deployment never has them):
/// a simulated client's randomness is <c>DeterministicRandomSource.Derive(seed, "client", id)</c>, and its first four
/// 32-byte draws are, in order, its Ed25519 identity seed, X25519 mask private key, X25519 encryption private key and
/// self-mask seed b (then its Shamir coefficients). A test pins this order against real runs.
/// </summary>
public sealed record SimulatedClientSecrets(uint ClientId, byte[] IdentitySeed, byte[] MaskPrivateKey, byte[] EncryptionPrivateKey, byte[] SelfMaskSeed)
{
    /// <summary>Re-derives client <paramref name="clientId"/>'s secrets for a simulation run with <paramref name="seed"/>.</summary>
    public static SimulatedClientSecrets Derive(long seed, uint clientId)
    {
        using DeterministicRandomSource r = DeterministicRandomSource.Derive(seed, "client", clientId);
        var draws = new byte[4][];
        for (int i = 0; i < 4; i++)
        {
            draws[i] = new byte[32];
            r.Fill(draws[i]);
        }
        return new SimulatedClientSecrets(clientId, draws[0], draws[1], draws[2], draws[3]);
    }

    /// <summary>Never shows the secrets.</summary>
    public override string ToString() => $"SimulatedClientSecrets(client {ClientId})";
}
