using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification.He;

// he.commitments (each upload matches its signed commitment) and he.decryption-requests (every attempt opens the
// same, complete list of verified uploads to a different set of t final decryptors).
internal static class HeUploadChecks
{
    public const string CommitmentsId = "he.commitments";
    public const string RequestsId = "he.decryption-requests";
    private const string CommitmentsText = "each H2 upload has the round's exact upload size, UploadCommitment(round, client, upload) equals its commitment, " +
        "and the commitment signature (\"SecureFed/he-round/v1/commitment\" || H || BE32(client) || c) verifies under the client's roster key";
    private const string RequestsText = "decryption requests: attempts 1..k, no decryptor asked in more than MaxDecryptionAttempts of them, each byte-identical for its recipients = exactly its " +
        "t participants (distinct final decryptors, ascending); participant sets differ between attempts; every attempt opens the identical upload list, which is " +
        "every valid H2 upload (ascending id, commitment, signature and opening matching the upload) and at least MinimumClients; every H3 share answers a request it was sent";

    public static AuditCheck Commitments(HeRoundView v, Dictionary<uint, HeUploadFacts> facts)
    {
        HeRoundParameters p = v.Parameters;
        var uploads = v.Valid(HeStage.Upload).ToList();
        if (uploads.Count == 0)
        {
            return AuditCheck.Skip(CommitmentsId, CommitmentsText, "no upload was recorded");
        }
        var problems = new List<string>();
        foreach (HeClientRecord m in uploads)
        {
            var u = (ClientUpload)m.Body!;
            if (u.Upload is null || u.Upload.LongLength != p.UploadSize || u.Commitment is null || u.CommitmentSignature is null)
            {
                problems.Add($"client {m.Sender}: the upload has {u.Upload?.Length ?? 0} bytes (expected {p.UploadSize}) or a field is missing");
                continue;
            }
            UploadOpening opening;
            try
            {
                opening = UploadOpening.FromUpload(u.Upload, p.Plan.Parameters);
            }
            catch (HeFormatException e)
            {
                problems.Add($"client {m.Sender}: the upload is malformed ({e.Message})");
                continue;
            }
            byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)m.Sender, opening);
            if (!commitment.AsSpan().SequenceEqual(u.Commitment))
            {
                problems.Add($"client {m.Sender}: the commitment is not the commitment of the uploaded ciphertext");
                continue;
            }
            if (!p.Identities[m.Sender].Verify(HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, m.Sender, u.Commitment), u.CommitmentSignature))
            {
                problems.Add($"client {m.Sender}: the commitment signature does not verify");
                continue;
            }
            facts[m.Sender] = new HeUploadFacts(SHA256.HashData(opening.Masks.Span), opening.BodiesHash.ToArray(), u.Commitment, u.CommitmentSignature);
        }
        return problems.Count == 0
            ? AuditCheck.Pass(CommitmentsId, CommitmentsText, $"{uploads.Count} uploads of {p.UploadSize:N0} bytes match their signed commitments")
            : AuditCheck.Fail(CommitmentsId, CommitmentsText, $"{problems.Count} bad upload(s): {string.Join("; ", problems.Take(5))}");
    }

    // Returns the opened client ids of the requests (null when there is no consistent request) for the result check.
    public static AuditCheck Requests(HeRoundView v, IReadOnlyDictionary<uint, HeUploadFacts> facts, out IReadOnlyList<uint>? opened, out int attempts)
    {
        opened = null;
        attempts = 0;
        HeRoundParameters p = v.Parameters;
        var records = v.ServerMessagesOf<DecryptionRequestMessage>().ToList();
        if (records.Count == 0)
        {
            return v.Result is { Completed: true }
                ? AuditCheck.Fail(RequestsId, RequestsText, "the round completed but no decryption request was recorded")
                : AuditCheck.Skip(RequestsId, RequestsText, "no decryption request: the round aborted before H3");
        }
        var final = HeKeyChecks.FinalDecryptors(v).ToHashSet();
        var byAttempt = records.GroupBy(r => ((DecryptionRequestMessage)r.Message!).Attempt).OrderBy(g => g.Key).ToList();
        attempts = byAttempt.Count;
        if (!byAttempt.Select(g => g.Key).SequenceEqual(Enumerable.Range(1, byAttempt.Count)))
        {
            return Fail($"attempts [{string.Join(",", byAttempt.Select(g => g.Key))}] are not 1..k");
        }
        // The decryptors' own limit (he.md 6.5): the server's retries and its check sets (10.7) stay within it.
        var overAsked = records.GroupBy(r => r.Recipient).Where(g => g.Count() > p.Configuration.MaxDecryptionAttempts).Select(g => g.Key).ToList();
        if (overAsked.Count > 0)
        {
            return Fail($"decryptor(s) [{string.Join(",", overAsked)}] were asked in more than MaxDecryptionAttempts = {p.Configuration.MaxDecryptionAttempts} attempts");
        }
        var requests = new List<DecryptionRequestMessage>();
        foreach (var group in byAttempt)
        {
            var first = group.First();
            if (group.Any(r => !r.Record.Payload.AsSpan().SequenceEqual(first.Record.Payload)))
            {
                return Fail($"attempt {group.Key}: participants were sent different requests");
            }
            var request = (DecryptionRequestMessage)first.Message!;
            int[] parts = request.Participants ?? [];
            if (parts.Length != p.Threshold || parts.Zip(parts.Skip(1)).Any(x => x.First >= x.Second) || parts.Any(i => i < 1 || i > p.DecryptorIds.Count))
            {
                return Fail($"attempt {group.Key}: participants [{string.Join(",", parts)}] are not t = {p.Threshold} distinct ascending decryptor indices");
            }
            var ids = parts.Select(i => p.DecryptorIds[i - 1]).ToList();
            if (ids.Any(id => !final.Contains(id)))
            {
                return Fail($"attempt {group.Key}: participants include decryptor(s) [{string.Join(",", ids.Where(id => !final.Contains(id)))}] that do not hold the key");
            }
            var recipients = group.Select(r => r.Recipient).Order().ToList();
            if (!recipients.SequenceEqual(ids.Order()))
            {
                return Fail($"attempt {group.Key}: sent to [{string.Join(",", recipients)}], but its participants are clients [{string.Join(",", ids.Order())}]");
            }
            if (requests.Any(q => q.Participants.SequenceEqual(parts)))
            {
                return Fail($"attempt {group.Key} reuses the participant set of an earlier attempt");
            }
            requests.Add(request);
        }
        byte[] uploadList = MessageCodec.Encode(requests[0].Uploads ?? []);
        for (int a = 1; a < requests.Count; a++)
        {
            if (!MessageCodec.Encode(requests[a].Uploads ?? []).AsSpan().SequenceEqual(uploadList))
            {
                return Fail($"attempt {a + 1} opens a different upload list than attempt 1 (a different aggregate: its shares and the first attempt's could be combined)");
            }
        }
        OpenedUpload[] list = requests[0].Uploads ?? [];
        var valid = v.Valid(HeStage.Upload).Select(m => m.Sender).Order().ToList();
        var listed = list.Select(u => u?.ClientId ?? 0).ToList();
        if (!listed.SequenceEqual(valid))
        {
            return Fail($"the requests open clients [{Short(listed)}], but the clients that uploaded validly are [{Short(valid)}]");
        }
        foreach (OpenedUpload u in list)
        {
            if (!facts.TryGetValue(u.ClientId, out HeUploadFacts? f))
            {
                return Fail($"client {u.ClientId}'s upload failed he.commitments, yet it is opened to the decryptors");
            }
            if (!(u.Commitment ?? []).AsSpan().SequenceEqual(f.Commitment) || !(u.CommitmentSignature ?? []).AsSpan().SequenceEqual(f.CommitmentSignature))
            {
                return Fail($"client {u.ClientId}: the opened commitment or its signature is not the one the client uploaded");
            }
            if (!SHA256.HashData(u.Masks ?? []).AsSpan().SequenceEqual(f.MasksHash) || !(u.BodiesHash ?? []).AsSpan().SequenceEqual(f.BodiesHash))
            {
                return Fail($"client {u.ClientId}: the opening (masks, bodies hash) is not that of the uploaded ciphertext");
            }
        }
        if (list.Length < p.Configuration.MinimumClients)
        {
            return Fail($"the aggregate holds {list.Length} uploads, fewer than MinimumClients = {p.Configuration.MinimumClients}");
        }
        foreach (HeClientRecord m in v.Valid(HeStage.DecryptionShare))
        {
            var share = (DecryptionShareBody)m.Body!;
            int index = p.DecryptorIndex(m.Sender);
            if (share.Attempt < 1 || share.Attempt > requests.Count || !requests[share.Attempt - 1].Participants.Contains(index)
                || !(share.Participants ?? []).SequenceEqual(requests[share.Attempt - 1].Participants))
            {
                return Fail($"record {m.Index}: decryptor {m.Sender}'s share for attempt {share.Attempt} answers no request it was sent");
            }
        }
        opened = listed;
        return AuditCheck.Pass(RequestsId, RequestsText,
            $"{requests.Count} attempt(s) with participant sets {string.Join(" then ", requests.Select(r => $"[{string.Join(",", r.Participants)}]"))}, " +
            $"each opening the same {list.Length} uploads (MinimumClients {p.Configuration.MinimumClients})");
    }

    private static AuditCheck Fail(string reason) => AuditCheck.Fail(RequestsId, RequestsText, reason);

    private static string Short(IReadOnlyCollection<uint> ids) => ids.Count <= 20 ? string.Join(",", ids) : $"{string.Join(",", ids.Take(20))},... ({ids.Count})";
}
