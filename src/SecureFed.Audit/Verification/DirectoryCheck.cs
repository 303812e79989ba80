using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// protocol.key-directory (transcript.md 4): the root is the tree of exactly the valid advertisements the clients sent,
// every U1 member got one directory naming the same U1 and root, holding exactly its neighbours' and its own
// advertisements, byte for byte as sent, with a proof that verifies against the root (what the client checks too).
internal static class DirectoryCheck
{
    public const string Id = "protocol.key-directory";

    private const string Text = "every U1 member got a key directory naming the same U1 and root, the root is the tree over exactly the valid advertisements sent, and each directory holds the recipient's neighbours' and its own advertisements as sent, proven against the root";

    public static AuditCheck Run(RoundView v)
    {
        var directories = v.ServerMessagesOf<KeyDirectory>().ToList();
        if (directories.Count == 0)
        {
            return v.ClientMessages.Any(m => m.Envelope?.Stage > ProtocolStage.AdvertiseKeys)
                ? AuditCheck.Fail(Id, Text, "later stages ran but no key directory was sent")
                : AuditCheck.Skip(Id, Text, "the round ended before the key directory");
        }
        KeyDirectory first = v.Directory!;
        if (v.DirectoryMembers is not { } members || v.Graph is null)
        {
            return AuditCheck.Fail(Id, Text, "the key directory's U1 bitmap or root is malformed");
        }
        if (directories.Any(d => !((KeyDirectory)d.Message!).Advertised.AsSpan().SequenceEqual(first.Advertised) ||
                                 !((KeyDirectory)d.Message!).Root.AsSpan().SequenceEqual(first.Root)))
        {
            return AuditCheck.Fail(Id, Text, "clients received key directories naming different U1 or roots");
        }
        var recipients = directories.Select(d => d.Recipient).Order().ToList();
        if (!recipients.SequenceEqual(v.U1) || !members.SequenceEqual(v.U1))
        {
            return AuditCheck.Fail(Id, Text, $"sent to [{string.Join(",", recipients)}] naming U1 [{string.Join(",", members)}], but the valid advertisements are of [{string.Join(",", v.U1)}]");
        }
        // A dishonest aggregator can copy an advertisement into the transcript twice (protocol.envelopes fails it too).
        var sent = new Dictionary<uint, (ClientEnvelope Envelope, byte[] Bytes)>();
        foreach (ClientMessage m in v.ClientMessages.Where(m => m.Envelope?.Stage == ProtocolStage.AdvertiseKeys && m.SignatureValid))
        {
            if (!sent.TryAdd(m.Envelope!.SenderId, (m.Envelope, m.Record.Payload)))
            {
                return AuditCheck.Fail(Id, Text, $"record {m.Index}: client {m.Envelope.SenderId} has a second advertisement");
            }
        }
        if (members.FirstOrDefault(id => !sent.ContainsKey(id)) is uint missing and > 0)
        {
            return AuditCheck.Fail(Id, Text, $"U1 names client {missing}, which sent no valid advertisement");
        }
        if (sent.Count != members.Length)
        {
            return AuditCheck.Fail(Id, Text, $"{sent.Count - members.Length} valid advertisements were left out of U1");
        }
        DirectoryTree tree = DirectoryTree.Build([.. members.Select(id => sent[id].Envelope)]);
        if (!tree.Root.AsSpan().SequenceEqual(first.Root))
        {
            return AuditCheck.Fail(Id, Text, "the directory root is not the tree over the advertisements the clients sent");
        }
        foreach (ServerRecord d in directories)
        {
            if (Problem(v, members, sent, d.Recipient, (KeyDirectory)d.Message!) is { } problem)
            {
                return AuditCheck.Fail(Id, Text, $"record {d.Index}: {problem}");
            }
        }
        return AuditCheck.Pass(Id, Text, $"U1 = {v.U1.Count} clients; {directories.Count} directories, each its recipient's neighbours' and own advertisements, proven against one root");
    }

    private static string? Problem(RoundView v, uint[] members, Dictionary<uint, (ClientEnvelope Envelope, byte[] Bytes)> sent, uint recipient, KeyDirectory d)
    {
        uint[] expected = [.. v.Graph!.NeighboursOf(recipient).Append(recipient).Order()];
        ClientEnvelope[] entries = d.Entries ?? [];
        if (!entries.Select(e => e?.SenderId ?? 0).SequenceEqual(expected))
        {
            return $"the directory of client {recipient} holds [{string.Join(",", entries.Select(e => e?.SenderId ?? 0))}], not its neighbours and itself [{string.Join(",", expected)}]";
        }
        var indices = new int[entries.Length];
        var leaves = new byte[entries.Length * DirectoryTree.HashSize];
        for (int i = 0; i < entries.Length; i++)
        {
            ClientEnvelope e = entries[i];
            if (!MessageCodec.Encode(e).AsSpan().SequenceEqual(sent[e.SenderId].Bytes))
            {
                return $"the entry of client {e.SenderId} sent to client {recipient} is not the advertisement it sent";
            }
            indices[i] = Array.BinarySearch(members, e.SenderId);
            DirectoryTree.LeafHash(e.SenderId, e.Body, e.Signature, leaves.AsSpan(i * DirectoryTree.HashSize, DirectoryTree.HashSize));
        }
        Span<byte> root = stackalloc byte[DirectoryTree.HashSize];
        return DirectoryTree.TryComputeRoot(members.Length, indices, leaves, d.Proof ?? [], root) && root.SequenceEqual(d.Root)
            ? null
            : $"the proof sent to client {recipient} does not prove its entries against the root";
    }
}
