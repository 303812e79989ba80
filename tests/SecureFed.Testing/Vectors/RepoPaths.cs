namespace SecureFed.Testing.Vectors;

/// <summary>Finds the repository root (the folder holding SecureFed.sln) from the test's base directory.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "SecureFed.sln")))
                {
                    return d.FullName;
                }
            }
            throw new DirectoryNotFoundException("SecureFed.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string TestVectors => Path.Combine(Root, "protocol-spec", "test-vectors");
}
