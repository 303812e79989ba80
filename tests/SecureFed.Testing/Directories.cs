using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Testing;

/// <summary>Key directories as a misbehaving server would build them (tests of the client's and auditor's checks).</summary>
public static class Directories
{
    /// <summary>
    /// <paramref name="directory"/> with <paramref name="entries"/> instead of its own. With <paramref name="recommit"/>,
    /// the root is the tree of exactly those entries with an empty proof (a complete graph's directory whose U1 they
    /// are), so the entries are proven; without it, the root and proof are the original ones.
    /// </summary>
    public static KeyDirectory WithEntries(KeyDirectory directory, ClientEnvelope[] entries, bool recommit) => new()
    {
        Advertised = directory.Advertised,
        Root = recommit ? DirectoryTree.Build(entries).Root : directory.Root,
        Entries = entries,
        Proof = recommit ? [] : directory.Proof,
    };

    /// <summary><paramref name="directory"/> naming <paramref name="members"/>' roster positions as U1 (bit i for the
    /// i-th roster entry in ascending id), root and entries unchanged.</summary>
    public static KeyDirectory WithMembers(KeyDirectory directory, params int[] rosterPositions)
    {
        var bits = new byte[directory.Advertised.Length];
        foreach (int i in rosterPositions)
        {
            bits[i / 8] |= (byte)(1 << (i % 8));
        }
        return new KeyDirectory { Advertised = bits, Root = directory.Root, Entries = directory.Entries, Proof = directory.Proof };
    }
}
