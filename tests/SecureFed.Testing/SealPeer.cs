using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureFed.Testing;

/// <summary>
/// Runs Microsoft SEAL 4.1 (node-seal 7.0.0, tools/seal-interop/peer.js) for the SEAL interop tests. node-seal needs
/// Node >= 22; the folder's package.json pins the npm package node@22, so the peer runs under
/// tools/seal-interop/node_modules/.bin/node whatever node is on PATH. Tests skip with <see cref="SkipReason"/> when
/// that folder is not installed (<c>npm ci</c>; .ci/run does it and fails on any skip).
/// </summary>
public static class SealPeer
{
    private static readonly Lazy<string?> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureFed.sln")))
            {
                return Path.Combine(dir.FullName, "tools", "seal-interop");
            }
        }
        return null;
    });

    /// <summary>Why the peer cannot run here, or null when it can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (Folder.Value is not { } folder)
            {
                return "the repository root (SecureFed.sln) was not found above the test binaries";
            }
            if (!File.Exists(NodePath(folder)) || !File.Exists(Path.Combine(folder, "node_modules", "node-seal", "package.json")))
            {
                return "node-seal 7.0.0 and Node 22 are not installed in tools/seal-interop; run (cd tools/seal-interop && npm ci). .ci/run installs them.";
            }
            return null;
        }
    }

    /// <summary>
    /// Runs one job (the steps of peer.js) with files in <paramref name="directory"/> and returns the results array.
    /// </summary>
    /// <exception cref="InvalidOperationException">The peer failed (its stderr is in the message).</exception>
    public static JsonArray Run(string directory, string parmsFile, IEnumerable<object> steps, string secLevel = "tc128")
    {
        string folder = Folder.Value ?? throw new InvalidOperationException(SkipReason);
        string jobFile = Path.Combine(directory, "job.json");
        File.WriteAllText(jobFile, JsonSerializer.Serialize(new { dir = directory, parms = parmsFile, secLevel, steps = steps.ToArray() }));
        var psi = new ProcessStartInfo(NodePath(folder))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(folder, "peer.js"));
        psi.ArgumentList.Add(jobFile);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the SEAL peer did not finish in 120 s");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"the SEAL peer exited with {p.ExitCode}: {stderr.Result}");
        }
        var result = JsonNode.Parse(stdout)!.AsObject();
        return result["results"]!.AsArray();
    }

    private static string NodePath(string folder) => Path.Combine(folder, "node_modules", ".bin", OperatingSystem.IsWindows() ? "node.cmd" : "node");
}
