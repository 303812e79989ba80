using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

// What a shard does when a stage closes: adopt the decided set, route what belongs to other shards' clients, and
// build its own clients' messages (or, at R4, its unmasked partial) once every shard's batch is in.
internal sealed partial class SecAggRoundShard
{
    // Applies the decided set of the closing stage and opens the next; returns the items per destination shard, or
    // null when the close routes nothing.
    private List<ShardItem>[]? Close(ProtocolStage stage, StageDecision decision)
    {
        uint[] members = decision.Members;
        switch (stage)
        {
            case ProtocolStage.AdvertiseKeys:
                _advertisements.Clear();
                _seenKeys.Clear();
                return null;
            case ProtocolStage.ShareKeys:
                Context.SharedKeys = members;
                _sums = [.. Context.Parameters.Vectors.Select(v => new ulong[v.Length])];
                return RouteBundles(new HashSet<uint>(members));
            case ProtocolStage.MaskedInputCollection:
                Context.Survivors = members;
                _survivors = [.. members];
                _survivorHash = SessionDerivation.SurvivorSetHash(Context.SessionId, members);
                return null;
            case ProtocolStage.ConsistencyCheck:
                Context.Signers = members;
                _alive = [.. Context.Survivors];
                _dropped = [.. Context.Dropped()];
                _sharedKeys = [.. Context.SharedKeys];
                return RouteTags(new HashSet<uint>(members));
            default:
                Context.Responders = members;
                return RouteShares(new HashSet<uint>(members));
        }
    }

    private List<ShardItem>[] NewRoute() => [.. Enumerable.Range(0, ShardCount).Select(_ => new List<ShardItem>())];

    // R1: each bundle goes to its recipient's shard (recipients that shared keys themselves).
    private List<ShardItem>[] RouteBundles(HashSet<uint> shared)
    {
        var route = NewRoute();
        foreach (var (sender, bundles) in _bundles)
        {
            foreach (EncryptedShareBundle b in bundles.Where(b => shared.Contains(sender) && shared.Contains(b.PeerId)))
            {
                route[ShardOf(b.PeerId)].Add(new ShardItem(sender, b.PeerId, b.Ciphertext));
            }
        }
        _bundles.Clear();
        return route;
    }

    // R3: each consistency tag goes to its recipient's shard (recipients in U4).
    private List<ShardItem>[] RouteTags(HashSet<uint> signers)
    {
        var route = NewRoute();
        foreach (var (sender, check) in _checks)
        {
            for (int i = 0; i < check.TaggedPeers.Length; i++)
            {
                uint r = check.TaggedPeers[i];
                if (signers.Contains(r))
                {
                    route[ShardOf(r)].Add(new ShardItem(sender, r, check.Tags.AsSpan(i * SessionDerivation.TagSize, SessionDerivation.TagSize).ToArray()));
                }
            }
        }
        _checks.Clear();
        return route;
    }

    // R4: a survivor's seed shares go to its own shard; a dropped client's key shares go to every shard holding a
    // surviving neighbour of it that revealed no pair seeds (not in U5), since only there the key must be rebuilt.
    // Each receiver wipes what it used, so a share going to one shard is handed over as it is (a copy of each of the
    // 360,000 shares at n = 10,000 was a third of the R4 close's one-core work) and copied only for further shards.
    private List<ShardItem>[] RouteShares(HashSet<uint> responders)
    {
        var route = NewRoute();
        var targets = new List<int>();
        foreach (var (owner, list) in _shares)
        {
            targets.Clear();
            if (_alive.Contains(owner))
            {
                targets.Add(ShardOf(owner));
            }
            else
            {
                foreach (uint u in Context.Graph!.NeighboursOf(owner))
                {
                    if (_alive.Contains(u) && !responders.Contains(u) && !targets.Contains(ShardOf(u)))
                    {
                        targets.Add(ShardOf(u));
                    }
                }
            }
            for (int d = 0; d < targets.Count; d++)
            {
                List<ShardItem> to = route[targets[d]];
                to.EnsureCapacity(to.Count + list.Count);
                foreach (var (holder, share) in list)
                {
                    to.Add(new ShardItem(holder, owner, d == targets.Count - 1 ? share : (byte[])share.Clone()));
                }
            }
            if (targets.Count == 0)
            {
                foreach (var (_, share) in list)
                {
                    Array.Clear(share);
                }
            }
        }
        _shares.Clear();
        return route;
    }

    private Completed Deliver(ProtocolStage stage, List<ShardItem> items) => stage switch
    {
        ProtocolStage.ShareKeys => new Completed((int)stage, DeliverBundles(items), null, null),
        ProtocolStage.ConsistencyCheck => new Completed((int)stage, DeliverTags(items), null, null),
        _ => Unmask(items),
    };

    // R1: each of this shard's clients in U2 gets the bundles addressed to it, ascending sender.
    private List<OutgoingMessage> DeliverBundles(List<ShardItem> items)
    {
        var inbox = Context.SharedKeys.Where(Mine).ToDictionary(id => id, _ => new List<ShardItem>());
        foreach (ShardItem item in items)
        {
            inbox[item.To].Add(item);
        }
        return [.. inbox.Select(kv => new OutgoingMessage([kv.Key], new ShareDelivery
        {
            Shares = [.. kv.Value.OrderBy(i => i.From).Select(i => new EncryptedShareBundle { PeerId = i.From, Ciphertext = i.Bytes })],
        }))];
    }

    // R3: each of this shard's clients in U4 gets the tags its neighbours in U4 addressed to it, ascending sender, and
    // nothing roster-sized: a client reveals by the survivor set it signed (secagg.md 8), so n requests cost n k tags,
    // not n copies of U3 and U2 \ U3.
    private List<OutgoingMessage> DeliverTags(List<ShardItem> items)
    {
        var inbox = Context.Signers.Where(Mine).ToDictionary(id => id, _ => new List<ShardItem>());
        foreach (ShardItem item in items)
        {
            inbox[item.To].Add(item);
        }
        var outgoing = new List<OutgoingMessage>(inbox.Count);
        foreach (var (recipient, tags) in inbox)
        {
            ShardItem[] ordered = [.. tags.OrderBy(i => i.From)];
            var bytes = new byte[ordered.Length * SessionDerivation.TagSize];
            for (int i = 0; i < ordered.Length; i++)
            {
                ordered[i].Bytes.CopyTo(bytes.AsSpan(i * SessionDerivation.TagSize));
            }
            outgoing.Add(new OutgoingMessage([recipient], new UnmaskingRequest { TagSenders = [.. ordered.Select(i => i.From)], Tags = bytes }));
        }
        return outgoing;
    }

    // R4: rebuilds the self-mask seeds of this shard's survivors and the mask keys of dropped neighbours its
    // non-responding survivors need, then removes those masks from the shard's partial sum. What remains is the
    // shard's inputs plus the pair masks on graph edges to surviving clients of other shards.
    private Completed Unmask(List<ShardItem> items)
    {
        // An owner's shares come from its responding neighbours and itself, about t to 2t of them: lists start at 2t.
        int perOwner = 2 * Context.Parameters.Threshold;
        var shares = new Dictionary<uint, List<(uint Holder, byte[] Share)>>();
        foreach (ShardItem item in items)
        {
            if (!shares.TryGetValue(item.To, out var list))
            {
                shares[item.To] = list = new(perOwner);
            }
            list.Add((item.From, item.Bytes));
        }
        try
        {
            var mine = new HashSet<uint>(Context.Survivors.Where(Mine));
            (uint Dropped, uint Survivor)[] pairs = [.. _dropped.Order().SelectMany(v => Context.Graph!.NeighboursOf(v).Where(mine.Contains).Order().Select(u => (v, u)))];
            var rebuildKeys = new HashSet<uint>(pairs.Where(p => !_pairSeeds.ContainsKey(p)).Select(p => p.Dropped));
            using var secrets = new ReconstructedSecrets();
            if (secrets.Reconstruct(Context, mine, rebuildKeys, shares) is { } failure)
            {
                var abort = new RoundAbort((int)AbortReason.ReconstructionFailed, nameof(AbortReason.ReconstructionFailed), failure.Detail);
                return new Completed((int)ProtocolStage.Unmasking, [], null, new ShardFailure(failure.Owner, abort));
            }
            MaskRemoval.Remove(Context, _sums, secrets, pairs, _pairSeeds);
            return new Completed((int)ProtocolStage.Unmasking, [], _sums, null);
        }
        finally
        {
            foreach (ShardItem item in items)
            {
                Array.Clear(item.Bytes);
            }
            ClearSecrets();
        }
    }

    private void ClearSecrets()
    {
        foreach (var list in _shares.Values)
        {
            foreach (var (_, share) in list)
            {
                Array.Clear(share);
            }
        }
        _shares.Clear();
        foreach (byte[] seed in _pairSeeds.Values)
        {
            Array.Clear(seed);
        }
        _pairSeeds.Clear();
    }
}
