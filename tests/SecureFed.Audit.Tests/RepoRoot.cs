namespace SecureFed.Audit.Tests;

internal static class RepoRoot
{
    // Walks up from the test binaries to the folder holding SecureFed.sln.
    public static string Path
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "SecureFed.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("SecureFed.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
