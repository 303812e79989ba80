using System.Diagnostics;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>A small tmpfs mounted on a fresh temp folder (needs root and a kernel that allows it), unmounted on dispose:
/// a disk that really fills up.</summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB; null with the reason when this machine cannot.</summary>
    public static TmpfsMount? TryCreate(int megabytes, out string reason)
    {
        reason = "";
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            reason = "needs root on Linux to mount a small tmpfs (the disk-full fault); run the tests as root, as .ci/run does";
            return null;
        }
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securefed-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        (int code, string output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            reason = $"mount -t tmpfs failed here ({output.Trim()}); the disk-full fault needs a kernel that lets root mount tmpfs";
            return null;
        }
        return new TmpfsMount(path);
    }

    /// <summary>Writes a filler file until the file system is full; returns its path.</summary>
    public string Fill()
    {
        string filler = File("filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        foreach (int chunk in (int[])[1 << 20, 4096])
        {
            byte[] block = new byte[chunk];
            try
            {
                while (true)
                {
                    stream.Write(block);
                }
            }
            catch (IOException)
            {
                // ENOSPC: try the next, smaller chunk.
            }
        }
        return filler;
    }

    private static (int Code, string Output) Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using Process p = Process.Start(info)!;
            string output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
