using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Bfv;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification.He;

// he.envelopes (every client message is signed by its roster key for this round and stage) and he.collective-key
// (the key the clients were given is exactly the signed advertisements of the decryptors that dealt their shares).
internal static class HeKeyChecks
{
    public const string EnvelopesId = "he.envelopes";
    public const string CollectiveKeyId = "he.collective-key";
    private const string EnvelopesText = "every ClientToServer record is an HeEnvelope from the recorded client, enrolled, signed for this round and stage " +
        "(\"SecureFed/he-round/v1/message\" || H || BE32(sender) || stage || SHA-256(body)), with a body of the stage's type; at most one per client and stage (per attempt in H3)";
    private const string CollectiveKeyText = "one CollectiveKeyAnnouncement, byte-identical for every roster client, holding exactly the H0 envelopes of the " +
        "decryptors that sent valid H1 shares (ascending, byte for byte); at least t of them; every KeyShareDelivery names the same set; the key recomputes";

    public static AuditCheck Envelopes(HeRoundView v)
    {
        var problems = v.ClientMessages.Where(m => !m.Valid).Select(m => $"record {m.Index}: {m.Problem}").ToList();
        problems.AddRange(v.StrayRecords);
        var seen = new HashSet<(uint, HeStage, int)>();
        foreach (HeClientRecord m in v.ClientMessages.Where(m => m.Valid))
        {
            int attempt = m.Body is DecryptionShareBody d ? d.Attempt : 0;
            if (!seen.Add((m.Sender, m.Envelope!.Stage, attempt)))
            {
                problems.Add($"record {m.Index}: a second {m.Envelope.Stage} message from client {m.Sender}{(attempt > 0 ? $" for attempt {attempt}" : "")}");
            }
        }
        if (problems.Count > 0)
        {
            return AuditCheck.Fail(EnvelopesId, EnvelopesText, $"{problems.Count} problem(s): {string.Join("; ", problems.Take(5))}");
        }
        string counts = string.Join(", ", Enum.GetValues<HeStage>().Select(s => $"{v.Valid(s).Count()} {s}"));
        return AuditCheck.Pass(EnvelopesId, EnvelopesText, $"{v.ClientMessages.Count} envelopes verified against the roster: {counts}");
    }

    // The final decryptor set as the clients' own messages define it: valid H1 senders that advertised validly.
    public static List<uint> FinalDecryptors(HeRoundView v)
    {
        var advertised = v.Valid(HeStage.KeyAdvertisement).Select(m => m.Sender).ToHashSet();
        return [.. v.Valid(HeStage.KeyShares).Select(m => m.Sender).Where(advertised.Contains).Distinct().Order()];
    }

    public static AuditCheck CollectiveKey(HeRoundView v)
    {
        var announcements = v.ServerMessagesOf<CollectiveKeyAnnouncement>().ToList();
        if (announcements.Count == 0)
        {
            bool abortedEarly = v.Result is { Completed: false } && !v.Valid(HeStage.Upload).Any();
            return abortedEarly
                ? AuditCheck.Skip(CollectiveKeyId, CollectiveKeyText, "no key was announced: the round aborted before H2")
                : AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, "no CollectiveKeyAnnouncement was recorded, yet clients uploaded or the round completed");
        }
        if (announcements.Any(a => !a.Record.Payload.AsSpan().SequenceEqual(announcements[0].Record.Payload)))
        {
            return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, "clients were sent different key announcements (the server could split the clients across keys)");
        }
        var recipients = announcements.Select(a => a.Recipient).Order().ToList();
        if (!recipients.SequenceEqual(v.Parameters.ClientIds))
        {
            return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, $"the announcement went to [{string.Join(",", recipients)}], not once to every roster client");
        }
        var announcement = (CollectiveKeyAnnouncement)announcements[0].Message!;
        List<uint> final = FinalDecryptors(v);
        var announced = (announcement.Advertisements ?? []).Select(e => e?.SenderId ?? 0).ToList();
        if (!announced.SequenceEqual(final))
        {
            return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText,
                $"the announced key is made of decryptors [{string.Join(",", announced)}], but the decryptors that advertised and dealt valid shares are [{string.Join(",", final)}]");
        }
        var h0 = v.Valid(HeStage.KeyAdvertisement).GroupBy(m => m.Sender).ToDictionary(g => g.Key, g => g.First().Envelope!);
        foreach (HeEnvelope e in announcement.Advertisements!)
        {
            if (!MessageCodec.Encode(e).AsSpan().SequenceEqual(MessageCodec.Encode(h0[e.SenderId])))
            {
                return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, $"the announced advertisement of decryptor {e.SenderId} is not the H0 envelope it sent");
            }
        }
        foreach (HeServerRecord d in v.ServerMessagesOf<KeyShareDelivery>())
        {
            var named = ((KeyShareDelivery)d.Message!).Decryptors ?? [];
            if (!named.SequenceEqual(final) || !final.Contains(d.Recipient))
            {
                return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText,
                    $"record {d.Index}: the key-share delivery to {d.Recipient} names decryptors [{string.Join(",", named)}], not the final set [{string.Join(",", final)}]");
            }
        }
        if (final.Count < v.Parameters.Threshold)
        {
            return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, $"only {final.Count} decryptors hold the key, fewer than t = {v.Parameters.Threshold}");
        }
        try
        {
            _ = HeClient.VerifyKey(v.Parameters, announcement);
        }
        catch (Exception e) when (e is HeProtocolException or HeFormatException or ArgumentException)
        {
            return AuditCheck.Fail(CollectiveKeyId, CollectiveKeyText, $"the announced key does not verify as a client would: {e.Message}");
        }
        return AuditCheck.Pass(CollectiveKeyId, CollectiveKeyText,
            $"{final.Count} decryptors [{string.Join(",", final)}] (t = {v.Parameters.Threshold}); the same announcement to all {recipients.Count} clients; key recomputed from their signed shares");
    }
}
