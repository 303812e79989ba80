namespace SecureFed.Protocol.Diagnostics;

/// <summary>The process's peak resident set size so far, as the kernel counts it (VmHWM in /proc/self/status).</summary>
public static class PeakResidentMemory
{
    /// <summary>The peak resident bytes of this process, or null where /proc/self/status has no VmHWM (not Linux).</summary>
    public static long? Read()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (string line in File.ReadLines(path))
        {
            // "VmHWM:\t  123456 kB" (a tab, then spaces)
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string[] parts = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], out long kb) ? kb * 1024 : null;
            }
        }
        return null;
    }
}
