using System.Security.Cryptography;
using System.Text;

namespace SecureFed.Aggregator.Hosting;

/// <summary>
/// A key the service keeps as hex in a file readable only by its user (the admin key, the transcript signing key):
/// created on first start with 32 CSPRNG bytes, durably, unless the operator supplied one.
/// </summary>
internal static class SecretKeyFile
{
    /// <summary>The file's full path (<paramref name="configured"/>, else <paramref name="defaultName"/> beside the
    /// database), after creating the file when it is missing.</summary>
    public static string Ensure(string? configured, string databasePath, string defaultName)
    {
        string path = Path.GetFullPath(configured ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? ".", defaultName));
        if (!File.Exists(path))
        {
            Create(path);
        }
        return path;
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? ".");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] text = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key) + "\n");
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(text);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance created it first: use theirs.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(text);
        }
    }
}
