using System.Diagnostics;
using System.Text.Json;
using SecureFed.Client.Seal;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `client --seal-encryptor CMD`: runs CMD (through /bin/sh) with one more argument, a fresh folder holding the
/// round's key in SEAL's format: parms.seal (EncryptionParameters), public-key.seal (PublicKey) and round.json
/// (degree, blocks, vector_length, bits). CMD writes block-0.seal .. block-(blocks-1).seal there (SEAL Ciphertexts)
/// and exits 0. samples/SealClient/encrypt.js is such a program (node-seal). The folder is deleted afterwards.
/// </summary>
internal sealed class SealProcessEncryptor(string command, TextWriter log) : ISealEncryptor
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public IReadOnlyList<byte[]> Encrypt(SealRoundKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string dir = Directory.CreateTempSubdirectory("securefed-seal-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "parms.seal"), key.EncryptionParameters);
            File.WriteAllBytes(Path.Combine(dir, "public-key.seal"), key.PublicKey);
            File.WriteAllText(Path.Combine(dir, "round.json"), JsonSerializer.Serialize(new
            {
                degree = key.Degree, blocks = key.BlockCount, vector_length = key.VectorLength, bits = key.Bits,
            }));
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(command + " \"$0\"");
            psi.ArgumentList.Add(dir);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start /bin/sh for --seal-encryptor");
            string stderr = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(Limit))
            {
                p.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"--seal-encryptor did not finish in {Limit.TotalMinutes} minutes");
            }
            if (stderr.Length > 0)
            {
                log.Write(stderr);
            }
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"--seal-encryptor exited with {p.ExitCode}");
            }
            return [.. Enumerable.Range(0, key.BlockCount).Select(b => ReadBlock(dir, b))];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] ReadBlock(string dir, int b)
    {
        string file = Path.Combine(dir, $"block-{b}.seal");
        return File.Exists(file) ? File.ReadAllBytes(file) : throw new InvalidOperationException($"--seal-encryptor wrote no block-{b}.seal");
    }
}
