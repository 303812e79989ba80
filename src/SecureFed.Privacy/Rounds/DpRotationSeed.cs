using System.Security.Cryptography;
using System.Text;

namespace SecureFed.Privacy.Rounds;

/// <summary>
/// The public rotation seed of a hosted DP round (protocol-spec/dp.md section 8.1):
/// <c>HKDF-SHA256(IKM = RoundId, salt = empty, info = "SecureFed/dp/v1/rotation-seed", L = 32)</c>. Every party derives
/// it from the round id, which the server draws fresh at open and every signature binds, so no seed travels and no
/// party can give two clients different rotations. It is public: privacy does not depend on it (dp.md 2.1).
/// </summary>
public static class DpRotationSeed
{
    /// <summary>Bytes of the seed.</summary>
    public const int Size = 32;

    private static readonly byte[] Info = Encoding.ASCII.GetBytes("SecureFed/dp/v1/rotation-seed");

    /// <summary>The seed of the round named <paramref name="roundId"/>.</summary>
    /// <exception cref="ArgumentException">The round id is empty.</exception>
    public static byte[] For(ReadOnlySpan<byte> roundId)
    {
        if (roundId.IsEmpty)
        {
            throw new ArgumentException("the round id is empty", nameof(roundId));
        }
        var seed = new byte[Size];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, roundId, seed, [], Info);
        return seed;
    }
}
