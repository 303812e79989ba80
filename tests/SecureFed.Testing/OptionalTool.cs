namespace SecureFed.Testing;

/// <summary>
/// Finds an optional external program (chromium, node, ...) on PATH. Tests that need one skip with
/// <see cref="SkipReason"/> when it is missing; .ci/run installs every such tool and fails on any skip.
/// </summary>
public static class OptionalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null when no such executable file exists.</summary>
    public static string? Find(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The skip message for a missing tool: what is missing and how to install it.</summary>
    public static string SkipReason(string name, string install) =>
        $"'{name}' is not on PATH; install it to run this test ({install}). .ci/run installs it.";

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
