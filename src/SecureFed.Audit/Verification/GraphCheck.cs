using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// protocol.graph (secagg.md 6 and 6.2): the auditor rebuilds the neighbour graph from the configuration, the session id
// and U1 (so the server cannot have chosen it), reports k, t and the graph seed, and checks that every message that
// names a peer respected it: share bundles addressed and delivered only between neighbours, consistency tags only to
// neighbours, forwarded tags only from neighbours, and unmasking shares and pair seeds only for neighbours (or self).
internal static class GraphCheck
{
    public const string Id = "protocol.graph";

    private const string Text = "every message respected the neighbour graph rebuilt from the session id: bundles, deliveries, consistency tags, forwarded tags, revealed shares and pair seeds only between neighbours";

    public static AuditCheck Run(RoundView v)
    {
        if (v.Graph is null || v.SessionId is null)
        {
            return AuditCheck.Skip(Id, Text, "the round ended before the key directory fixed the graph");
        }
        RoundConfiguration c = v.Parameters.Configuration;
        INeighbourGraph g = v.Graph;
        if (c.Graph == GraphKind.Harary && v.U1.Count > c.GraphDegree + 1 && Stray(v.U1, u => g.NeighboursOf(u).Count != c.GraphDegree) is uint odd)
        {
            return AuditCheck.Fail(Id, Text, $"client {odd} has {g.NeighboursOf(odd).Count} neighbours in the rebuilt graph, not k = {c.GraphDegree}");
        }
        int bundles = 0, tags = 0, reveals = 0, seeds = 0;
        foreach (var (sender, sk) in v.Shares)
        {
            if (sk.Shares.FirstOrDefault(b => !g.AreNeighbours(sender, b.PeerId)) is { } stray)
            {
                return AuditCheck.Fail(Id, Text, $"client {sender} addressed a share bundle to client {stray.PeerId}, not its neighbour");
            }
            bundles += sk.Shares.Length;
        }
        foreach (ServerRecord d in v.ServerMessagesOf<ShareDelivery>())
        {
            if (((ShareDelivery)d.Message!).Shares?.FirstOrDefault(b => b is null || !g.AreNeighbours(d.Recipient, b.PeerId)) is { } stray)
            {
                return AuditCheck.Fail(Id, Text, $"record {d.Index}: client {d.Recipient} was delivered a bundle from client {stray?.PeerId}, not its neighbour");
            }
        }
        foreach (var (sender, cc) in v.ConsistencyChecks)
        {
            if (Stray(cc.TaggedPeers ?? [], p => !g.AreNeighbours(sender, p)) is uint p)
            {
                return AuditCheck.Fail(Id, Text, $"client {sender} addressed a consistency tag to client {p}, not its neighbour");
            }
            tags += (cc.TaggedPeers ?? []).Length;
        }
        foreach (ServerRecord r in v.ServerMessagesOf<UnmaskingRequest>())
        {
            if (Stray(((UnmaskingRequest)r.Message!).TagSenders ?? [], s => !g.AreNeighbours(s, r.Recipient)) is uint s)
            {
                return AuditCheck.Fail(Id, Text, $"record {r.Index}: client {r.Recipient} was forwarded a tag from client {s}, not its neighbour");
            }
        }
        foreach (var (holder, body) in v.Reveals)
        {
            if ((body.Shares ?? []).FirstOrDefault(x => x.OwnerId != holder && !g.AreNeighbours(holder, x.OwnerId)) is { } share)
            {
                return AuditCheck.Fail(Id, Text, $"client {holder} revealed a share of client {share.OwnerId}, not its neighbour");
            }
            if (Stray((body.PairSeeds ?? []).Select(x => x?.PeerId ?? 0), peer => !g.AreNeighbours(holder, peer)) is uint peer)
            {
                return AuditCheck.Fail(Id, Text, $"client {holder} revealed its pair seed with client {peer}, not its neighbour");
            }
            reveals += body.Shares?.Length ?? 0;
            seeds += body.PairSeeds?.Length ?? 0;
        }
        string shape = c.Graph == GraphKind.Harary ? $"harary, k = {c.GraphDegree}" : $"complete, k = {v.U1.Count - 1}";
        return AuditCheck.Pass(Id, Text,
            $"graph {shape}, t = {c.Threshold}, seed {Convert.ToHexStringLower(GraphPermutation.Seed(v.SessionId))}; " +
            $"{bundles} bundles, {tags} consistency tags, {reveals} revealed shares and {seeds} pair seeds, all between neighbours");
    }

    // The first id breaking the rule, or null.
    private static uint? Stray(IEnumerable<uint> ids, Func<uint, bool> breaks)
    {
        foreach (uint id in ids)
        {
            if (breaks(id))
            {
                return id;
            }
        }
        return null;
    }
}
