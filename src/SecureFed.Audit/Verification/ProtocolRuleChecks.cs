using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// The protocol rules of protocol-spec/secagg.md, checked on the decoded transcript: signed envelopes, stage order, the
// server's key directory, share deliveries, survivor set and unmasking request against what the clients sent,
// thresholds, and that no client revealed both secrets of any peer.
internal static class ProtocolRuleChecks
{
    public static void Run(RoundView v, List<AuditCheck> checks)
    {
        // Each check is guarded on its own, so one that meets a shape it did not foresee fails without hiding the others.
        checks.Add(CheckGuard.Run("protocol.envelopes", () => Envelopes(v)));
        checks.Add(CheckGuard.Run("protocol.stage-order", () => StageOrder(v)));
        checks.Add(CheckGuard.Run(DirectoryCheck.Id, () => DirectoryCheck.Run(v)));
        checks.Add(CheckGuard.Run("protocol.share-delivery", () => Deliveries(v)));
        checks.Add(CheckGuard.Run("protocol.survivor-set", () => SurvivorSets(v)));
        checks.Add(CheckGuard.Run("protocol.unmasking-request", () => UnmaskingRequests(v)));
        checks.Add(CheckGuard.Run("protocol.threshold", () => Threshold(v)));
        checks.Add(CheckGuard.Run("protocol.no-double-reveal", () => NoDoubleReveal(v)));
        checks.Add(CheckGuard.Run("protocol.result-sets", () => ResultSets(v)));
        checks.Add(CheckGuard.Run(GraphCheck.Id, () => GraphCheck.Run(v)));
    }

    private static AuditCheck Envelopes(RoundView v)
    {
        const string id = "protocol.envelopes", text = "every client message is a well-formed envelope signed by an enrolled identity, sent at most once per stage";
        ClientMessage? bad = v.ClientMessages.FirstOrDefault(m => !m.SignatureValid || m.Problem is not null);
        if (bad is not null)
        {
            return AuditCheck.Fail(id, text, $"record {bad.Index}: {bad.Problem}");
        }
        var seen = new HashSet<(uint, ProtocolStage)>();
        foreach (ClientMessage m in v.ClientMessages)
        {
            if (!seen.Add((m.Envelope!.SenderId, m.Envelope.Stage)))
            {
                return AuditCheck.Fail(id, text, $"record {m.Index}: client {m.Envelope.SenderId} sent a second stage {(int)m.Envelope.Stage} message");
            }
        }
        return AuditCheck.Pass(id, text, $"{v.ClientMessages.Count} client envelopes, all signed by roster identities");
    }

    private static AuditCheck StageOrder(RoundView v)
    {
        const string id = "protocol.stage-order", text = "stages run in order: a client speaks at stage s only after the server's stage s-1 answer, and the server closes stages in order";
        var firstClose = new Dictionary<int, int>(); // server message code -> index of its first record
        int lastCode = -1;
        foreach (ServerRecord s in v.ServerMessages)
        {
            if (s.Code < 0)
            {
                return AuditCheck.Fail(id, text, $"record {s.Index}: not a valid server message");
            }
            // Clients abort on any other version (PartyState), so a server that sent one did not run this protocol.
            if (s.Message!.Version != 1)
            {
                return AuditCheck.Fail(id, text, $"record {s.Index}: server message version {s.Message.Version}, the protocol's is 1");
            }
            if (s.Code < 4 && s.Code < lastCode)
            {
                return AuditCheck.Fail(id, text, $"record {s.Index}: stage {s.Code} answer after a stage {lastCode} answer");
            }
            lastCode = s.Code < 4 ? Math.Max(lastCode, s.Code) : lastCode;
            firstClose.TryAdd(s.Code, s.Index);
        }
        foreach (ClientMessage m in v.ClientMessages.Where(m => m.Envelope is not null))
        {
            int stage = (int)m.Envelope!.Stage;
            if (firstClose.TryGetValue(stage, out int closed) && m.Index > closed)
            {
                return AuditCheck.Fail(id, text, $"record {m.Index}: client {m.Envelope.SenderId}'s stage {stage} message after the server closed stage {stage}");
            }
            if (stage > 0 && !v.ServerMessages.Any(s => s.Index < m.Index && s.Recipient == m.Envelope.SenderId && s.Code == stage - 1))
            {
                return AuditCheck.Fail(id, text, $"record {m.Index}: client {m.Envelope.SenderId} sent stage {stage} before receiving the stage {stage - 1} answer");
            }
        }
        return AuditCheck.Pass(id, text, $"server answers in order {string.Join(" < ", firstClose.Keys.Where(k => k < 4).Order().Select(k => $"S{k}"))}; every client message follows its prompt");
    }

    private static AuditCheck Deliveries(RoundView v)
    {
        const string id = "protocol.share-delivery", text = "each share delivery holds exactly the bundles U2 members addressed to the recipient; each sender addressed one bundle to every neighbour";
        if (v.Graph is null || v.U2.Count == 0)
        {
            return AuditCheck.Skip(id, text, "no shares were exchanged");
        }
        foreach (var (sender, sk) in v.Shares)
        {
            uint[] peers = [.. sk.Shares.Select(s => s.PeerId)];
            if (!peers.SequenceEqual(v.Graph.NeighboursOf(sender)) || sk.Shares.Any(s => s.Ciphertext is not { Length: 104 }))
            {
                return AuditCheck.Fail(id, text, $"client {sender}'s ShareKeys do not hold one 104-byte bundle per neighbour, ascending");
            }
        }
        var deliveries = v.ServerMessagesOf<ShareDelivery>().ToList();
        var recipients = deliveries.Select(d => d.Recipient).Order().ToList();
        if (!recipients.SequenceEqual(v.U2))
        {
            return AuditCheck.Fail(id, text, $"deliveries went to [{string.Join(",", recipients)}], but U2 is [{string.Join(",", v.U2)}]");
        }
        foreach (ServerRecord d in deliveries)
        {
            var expected = v.Shares.Where(kv => kv.Value.Shares.Any(s => s.PeerId == d.Recipient)).OrderBy(kv => kv.Key)
                .Select(kv => (kv.Key, kv.Value.Shares.First(s => s.PeerId == d.Recipient).Ciphertext)).ToList();
            EncryptedShareBundle[] got = ((ShareDelivery)d.Message!).Shares ?? [];
            if (got.Length != expected.Count || got.Any(b => b is null || b.Ciphertext is null) || got.Zip(expected).Any(p => p.First.PeerId != p.Second.Key || !p.First.Ciphertext.AsSpan().SequenceEqual(p.Second.Ciphertext)))
            {
                return AuditCheck.Fail(id, text, $"record {d.Index}: client {d.Recipient}'s delivery differs from the bundles addressed to it");
            }
        }
        return AuditCheck.Pass(id, text, $"U2 = {v.U2.Count} clients; {deliveries.Count} deliveries match the {v.Shares.Values.Sum(s => s.Shares.Length)} bundles sent");
    }

    private static AuditCheck SurvivorSets(RoundView v)
    {
        const string id = "protocol.survivor-set", text = "the survivor set is U3 (the valid masked inputs), the same for every recipient, and every R3 signature is over its hash";
        var sets = v.ServerMessagesOf<SurvivorSet>().ToList();
        if (sets.Count == 0)
        {
            return v.U3.Count > 0 && v.ClientMessages.Any(m => m.Envelope?.Stage > ProtocolStage.MaskedInputCollection)
                ? AuditCheck.Fail(id, text, "consistency checks ran without a survivor set")
                : AuditCheck.Skip(id, text, "the round ended before the survivor set");
        }
        if (sets.Any(s => !s.Record.Payload.AsSpan().SequenceEqual(sets[0].Record.Payload)))
        {
            return AuditCheck.Fail(id, text, "clients received different survivor sets");
        }
        // A bitmap over the roster (secagg.md 2.3); one that does not decode is no U3 (nor is one with a bit outside U1:
        // U3 is within U1, so the comparison below catches it).
        if (RosterBitmap.TryDecode(v.Parameters, ((SurvivorSet)sets[0].Message!).Survivors ?? []) is not uint[] survivors)
        {
            return AuditCheck.Fail(id, text, "the survivor set is not a bitmap over the roster");
        }
        if (!survivors.SequenceEqual(v.U3) || !sets.Select(s => s.Recipient).Order().SequenceEqual(v.U3))
        {
            return AuditCheck.Fail(id, text, $"survivor set [{string.Join(",", survivors)}] or its recipients differ from U3 [{string.Join(",", v.U3)}]");
        }
        byte[] hash = SessionDerivation.SurvivorSetHash(v.SessionId, survivors);
        uint? wrong = v.ConsistencyHashes.Where(kv => !kv.Value.AsSpan().SequenceEqual(hash)).Select(kv => (uint?)kv.Key).FirstOrDefault();
        return wrong is uint w
            ? AuditCheck.Fail(id, text, $"client {w} signed a different survivor-set hash")
            : AuditCheck.Pass(id, text, $"U3 = {v.U3.Count} survivors; {v.ConsistencyHashes.Count} clients signed its hash");
    }

    private static AuditCheck UnmaskingRequests(RoundView v)
    {
        const string id = "protocol.unmasking-request", text = "every unmasking request forwards to its recipient, from at least t - 1 of its neighbours in U4, exactly the consistency tag each addressed to it in its signed R3 message";
        var requests = v.ServerMessagesOf<UnmaskingRequest>().ToList();
        if (requests.Count == 0)
        {
            return AuditCheck.Skip(id, text, "the round ended before the unmasking request");
        }
        if (!requests.Select(r => r.Recipient).Order().SequenceEqual(v.U4))
        {
            return AuditCheck.Fail(id, text, $"requests went to [{string.Join(",", requests.Select(r => r.Recipient).Order())}], not to U4 [{string.Join(",", v.U4)}]");
        }
        int fewest = int.MaxValue;
        foreach (ServerRecord r in requests)
        {
            var req = (UnmaskingRequest)r.Message!;
            string? wrong = ForwardedTagProblem(v, r.Recipient, req);
            if (wrong is not null)
            {
                return AuditCheck.Fail(id, text, $"record {r.Index}: {wrong}");
            }
            int tagged = (req.TagSenders ?? []).Length;
            if (tagged + 1 < v.Parameters.Threshold)
            {
                return AuditCheck.Fail(id, text, $"record {r.Index}: tags from {tagged} neighbours, fewer than t - 1 = {v.Parameters.Threshold - 1}");
            }
            fewest = Math.Min(fewest, tagged);
        }
        return AuditCheck.Pass(id, text, $"{requests.Count} requests, at least {fewest} forwarded consistency tags each (t - 1 = {v.Parameters.Threshold - 1})");
    }

    // The tags a request forwards must be, byte for byte, those the senders' signed R3 bodies address to the recipient:
    // the auditor cannot check a tag's key (only the pair holds it), but it can check the server passed on what was signed.
    private static string? ForwardedTagProblem(RoundView v, uint recipient, UnmaskingRequest req)
    {
        uint[] senders = req.TagSenders ?? [];
        byte[] tags = req.Tags ?? [];
        if (tags.Length != senders.Length * SessionDerivation.TagSize)
        {
            return $"{tags.Length} tag bytes for {senders.Length} tag senders";
        }
        for (int i = 0; i < senders.Length; i++)
        {
            uint s = senders[i];
            if ((i > 0 && s <= senders[i - 1]) || s == recipient || !v.Graph!.AreNeighbours(s, recipient) || !v.ConsistencyChecks.TryGetValue(s, out ConsistencyCheck? cc))
            {
                return $"tag sender {s} is repeated, out of order, not a neighbour of client {recipient} or not in U4";
            }
            ReadOnlySpan<byte> signed = cc.TagFor(recipient);
            if (signed.IsEmpty || !signed.SequenceEqual(tags.AsSpan(i * SessionDerivation.TagSize, SessionDerivation.TagSize)))
            {
                return $"the tag forwarded from client {s} to client {recipient} is not the one client {s} signed";
            }
        }
        return null;
    }

    private static AuditCheck Threshold(RoundView v)
    {
        const string id = "protocol.threshold", text = "every stage the round completed had at least t clients (U1..U5)";
        int t = v.Parameters.Threshold;
        var sets = new[] { ("U1", v.U1), ("U2", v.U2), ("U3", v.U3), ("U4", v.U4), ("U5", v.U5) };
        string sizes = string.Join(", ", sets.Select(s => $"|{s.Item1}| = {s.Item2.Count}"));
        if (v.Result is not { Completed: true })
        {
            return AuditCheck.Skip(id, text, $"the round did not complete ({sizes}, t = {t})");
        }
        var small = sets.Where(s => s.Item2.Count < t).Select(s => s.Item1).ToList();
        return small.Count == 0
            ? AuditCheck.Pass(id, text, $"{sizes}; t = {t}")
            : AuditCheck.Fail(id, text, $"{string.Join(", ", small)} below t = {t} yet a result was published ({sizes})");
    }

    private static AuditCheck NoDoubleReveal(RoundView v)
    {
        const string id = "protocol.no-double-reveal", text = "no client revealed both the self-mask seed share and the mask-key share of any peer; survivors' seeds and dropped clients' keys only, from holders only";
        if (v.Reveals.Count == 0)
        {
            return AuditCheck.Skip(id, text, "no shares were revealed");
        }
        var dropped = v.U2.Except(v.U3).ToHashSet();
        int count = 0;
        foreach (var (holder, body) in v.Reveals)
        {
            var kinds = new Dictionary<uint, ShareKind>();
            foreach (RevealedShare s in body.Shares)
            {
                count++;
                if (kinds.TryGetValue(s.OwnerId, out ShareKind k) && k != s.Kind)
                {
                    return AuditCheck.Fail(id, text, $"client {holder} revealed both secrets of client {s.OwnerId}");
                }
                kinds[s.OwnerId] = s.Kind;
                bool holds = s.OwnerId == holder || (v.U2.Contains(s.OwnerId) && v.Graph!.AreNeighbours(holder, s.OwnerId));
                ShareKind? allowed = v.U3.Contains(s.OwnerId) ? ShareKind.SelfMaskSeed : dropped.Contains(s.OwnerId) ? ShareKind.MaskPrivateKey : null;
                if (!holds || allowed != s.Kind)
                {
                    return AuditCheck.Fail(id, text, $"client {holder} revealed a {s.Kind} share of client {s.OwnerId}, which it may not");
                }
            }
        }
        return AuditCheck.Pass(id, text, $"{count} shares revealed by {v.Reveals.Count} clients, one kind per owner");
    }

    private static AuditCheck ResultSets(RoundView v)
    {
        const string id = "protocol.result-sets", text = "the published survivors and dropped clients are U3 and U2 \\ U3";
        if (v.Result is null)
        {
            return AuditCheck.Fail(id, text, "the result record is malformed");
        }
        if (!v.Result.Completed)
        {
            return AuditCheck.Skip(id, text, $"the round aborted (reason {v.Result.AbortReason}: {v.Result.AbortDetail})");
        }
        bool ok = v.Result.Survivors.SequenceEqual(v.U3) && v.Result.Dropped.SequenceEqual(v.U2.Except(v.U3));
        return AuditCheck.From(id, text, ok, $"{v.Result.Survivors.Length} survivors, {v.Result.Dropped.Length} dropped",
            $"published survivors [{string.Join(",", v.Result.Survivors)}] / dropped [{string.Join(",", v.Result.Dropped)}] differ from U3 / U2 \\ U3");
    }
}
