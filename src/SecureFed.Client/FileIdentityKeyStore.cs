using System.Security.Cryptography;
using System.Text;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Client;

/// <summary>
/// An identity key kept in a file as its 32-byte Ed25519 seed in 64 hex digits (created with mode 0600 on Unix).
/// The seed never leaves this class except into the key pair; buffers are wiped after use.
/// </summary>
public sealed class FileIdentityKeyStore : IIdentityKeyStore
{
    /// <summary>Uses the key file at <paramref name="path"/>.</summary>
    public FileIdentityKeyStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
    }

    /// <summary>The key file.</summary>
    public string FilePath { get; }

    /// <summary>Creates a new key file from <paramref name="random"/> (the OS CSPRNG in production); refuses to overwrite.</summary>
    /// <exception cref="IOException">The file already exists.</exception>
    public static FileIdentityKeyStore CreateNew(string path, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var store = new FileIdentityKeyStore(path);
        byte[] seed = new byte[IdentityKeyPair.SeedSize];
        byte[] text = [];
        try
        {
            random.Fill(seed);
            text = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(seed) + "\n");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var stream = new FileStream(store.FilePath, options);
            stream.Write(text);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(text);
        }
        return store;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file does not hold 64 hex digits.</exception>
    public IdentityKeyPair LoadIdentity()
    {
        byte[] text = File.ReadAllBytes(FilePath);
        byte[] seed = new byte[IdentityKeyPair.SeedSize];
        try
        {
            ReadOnlySpan<byte> hex = text.AsSpan().Trim("\r\n\t "u8);
            if (hex.Length != 2 * IdentityKeyPair.SeedSize || !TryDecodeHex(hex, seed))
            {
                throw new InvalidDataException($"the identity key file {FilePath} must hold 64 hex digits (a 32-byte Ed25519 seed)");
            }
            return IdentityKeyPair.FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(text);
        }
    }

    // Decodes in place rather than through a string, which could not be wiped.
    private static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }
            destination[i] = (byte)(hi << 4 | lo);
        }
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Names the file only.</summary>
    public override string ToString() => $"FileIdentityKeyStore({FilePath})";
}
