using System.Net;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using static SecureFed.Aggregator.Tests.Adversary.AttackPoint;
using Case = SecureFed.Aggregator.Tests.Adversary.AdversaryCase<SecureFed.Aggregator.Tests.Adversary.MaskingAdversary>;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// The masking round's adversary cases, in the order they are sent (docs: README "Robustness", threat-model.md). The
/// attacker is an enrolled device (or, for the relay cases, anyone on the path who can capture, replay, reorder or
/// alter its requests); the expected answer is the one protocol-spec/transport.md section 4 documents.
/// </summary>
public static class MaskingAdversaryCases
{
    private const HttpStatusCode Ok = HttpStatusCode.OK;

    public static IReadOnlyList<Case> All { get; } =
    [
        // Transport: who may speak, and whether this request is fresh and unaltered.
        new("M01", R0, "a request without signature headers", HttpStatusCode.Unauthorized, ProblemCode.Unsigned,
            a => new HttpRequestMessage(HttpMethod.Post, a.MessagesPath) { Content = new ByteArrayContent(a.OwnBytes) }),
        new("M02", R0, "a key that is not on the round's roster", HttpStatusCode.Forbidden, ProblemCode.NotEnrolled,
            a => a.Stranger.Signed(HttpMethod.Post, a.MessagesPath, a.OwnBytes)),
        new("M03", R0, "relay: the body altered after the request was signed", HttpStatusCode.Unauthorized, ProblemCode.BadRequestSignature,
            a => WithBody(a.Post(a.OwnBytes), Flip(a.OwnBytes, ^1))),
        new("M04", R0, "relay: one bit of the request signature flipped", HttpStatusCode.Unauthorized, ProblemCode.BadRequestSignature,
            a => WithHeader(a.Post(a.OwnBytes), TransportHeaders.Signature, s => Convert.ToBase64String(Flip(Convert.FromBase64String(s), 0)))),
        new("M05", R0, "the key header swapped for another member's key (claiming its identity)", HttpStatusCode.Unauthorized, ProblemCode.BadRequestSignature,
            a => WithHeader(a.Post(a.OwnBytes), TransportHeaders.Key, _ => a.MemberKeyHex(1))),
        new("M06", R0, "relay: a request signed an hour ago (outside the replay window)", HttpStatusCode.Unauthorized, ProblemCode.StaleRequest,
            a => a.Attacker.Signed(HttpMethod.Post, a.MessagesPath, a.OwnBytes, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds())),
        new("M07", R0, "a request dated an hour ahead (pre-signed for later replay)", HttpStatusCode.Unauthorized, ProblemCode.StaleRequest,
            a => a.Attacker.Signed(HttpMethod.Post, a.MessagesPath, a.OwnBytes, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds())),
        new("M08", R0, "the envelope's own signature tampered (in a well-signed request)", HttpStatusCode.BadRequest, ProblemCode.BadEnvelopeSignature,
            a => a.Post(MessageCodec.Encode(Tampered(a.Own)))),
        new("M09", R0, "an envelope naming another client (claiming its id)", HttpStatusCode.Forbidden, ProblemCode.SenderMismatch,
            a => a.Post(a.Seal(ProtocolStage.AdvertiseKeys, a.Own.Body, sender: a.MemberId(1)))),
        new("M10", R0, "wrong round: an envelope sealed for another round, sent to this one", HttpStatusCode.BadRequest, ProblemCode.BadEnvelopeSignature,
            a => a.Post(a.Seal(ProtocolStage.AdvertiseKeys, a.Own.Body, context: a.SideParameters.ConfigurationHash))),
        new("M11", R0, "wrong round: this round's envelope replayed into another round of the same key", HttpStatusCode.BadRequest, ProblemCode.BadEnvelopeSignature,
            a => a.Attacker.Signed(HttpMethod.Post, a.SideMessagesPath, a.Seal(ProtocolStage.AdvertiseKeys, a.Own.Body, sender: a.SideAttackerId))),
        new("M12", R0, "wrong stage: a correctly signed R3 envelope while the round is in R0", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(ProtocolStage.ConsistencyCheck, MessageCodec.Encode(new ConsistencyCheck { SurvivorSetHash = new byte[32] })))),
        new("M13", R0, "a body that is not MessagePack", HttpStatusCode.BadRequest, ProblemCode.Malformed, a => a.Post([0xC1, 0x00, 0x01])),
        new("M14", R0, "the attacker's own envelope cut in half", HttpStatusCode.BadRequest, ProblemCode.Malformed, a => a.Post(a.OwnBytes[..(a.OwnBytes.Length / 2)])),
        new("M15", R0, "a body one byte over the round's largest envelope", HttpStatusCode.RequestEntityTooLarge, ProblemCode.Oversized,
            a => a.Post(new byte[Enum.GetValues<ProtocolStage>().Max(s => ServerLimits.MaxEnvelopeBytes(a.Parameters, s)) + 1])),
        new("M16", R0, "a small-order (all-zero) X25519 mask key", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.AdvertiseKeys, MessageCodec.Encode(new AdvertiseKeys
            {
                MaskPublicKey = new byte[32], EncryptionPublicKey = a.OwnBody<AdvertiseKeys>().EncryptionPublicKey,
            })))),
        new("M17", R0, "a key revoked after the round opened", HttpStatusCode.Forbidden, ProblemCode.Revoked,
            a => a.RevokedSideMember.Signed(HttpMethod.Post, a.SideMessagesPath, [0x90])),
        new("M18", R0, "a round that does not exist", HttpStatusCode.NotFound, ProblemCode.UnknownRound,
            a => a.Attacker.Signed(HttpMethod.Post, $"/v1/rounds/{new string('0', a.RoundId.Length)}/messages", a.OwnBytes)),
        new("M19", R0, "a poll for a stage the round does not have", HttpStatusCode.BadRequest, ProblemCode.InvalidStage, a => a.Get($"{a.MessagesPath}/9")),
        new("M20", R0, "a poll with wait=NaN", HttpStatusCode.BadRequest, ProblemCode.InvalidWait, a => a.Get($"{a.MessagesPath}/0?wait=NaN")),
        new("M21", R0, "a poll on the other scheme's route", HttpStatusCode.Conflict, ProblemCode.WrongScheme, a => a.Get($"/v1/rounds/{a.RoundId}/he/closes/0")),

        // Equivocation: one key advertisement per client, relayed identically to every peer.
        new("M22", R0AfterOwn, "equivocation: a second, different key advertisement in R0", HttpStatusCode.Conflict, ProblemCode.Duplicate,
            a => a.Post(a.Seal(ProtocolStage.AdvertiseKeys, MessageCodec.Encode(a.FreshAdvertisement())))),
        new("M23", R0AfterOwn, "relay or retry: the accepted advertisement resent in a new request", Ok, null, a => a.Post(a.OwnBytes)),
        new("M24", R1, "relay: the accepted R0 request replayed byte for byte (same nonce) in R1", HttpStatusCode.Unauthorized, ProblemCode.Replayed,
            a => a.AcceptedR0!),
        new("M25", R1, "equivocation: a different key advertisement after R0 closed", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(ProtocolStage.AdvertiseKeys, MessageCodec.Encode(a.FreshAdvertisement())))),
        new("M26", R1, "R1 with one neighbour's share bundle missing", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.ShareKeys, MessageCodec.Encode(Edit(a.OwnBody<ShareKeys>(), b => b.Shares = b.Shares[..^1]))))),
        new("M27", R1, "R1 with a bundle readdressed to a client not in the round", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.ShareKeys, MessageCodec.Encode(Edit(a.OwnBody<ShareKeys>(), b => b.Shares[^1].PeerId = 999))))),
        new("M28", R1, "R1 with a share bundle one byte short", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.ShareKeys, MessageCodec.Encode(Edit(a.OwnBody<ShareKeys>(), b => b.Shares[0].Ciphertext = b.Shares[0].Ciphertext[..^1]))))),
        new("M29", R1, "reordered: a masked input sent before R1 closed", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(new MaskedInput { Vectors = [new byte[MaskingAdversary.Length * 4]] })))),

        // Masked input: exactly the configured vectors, lengths and range.
        new("M30", R2, "relay: the accepted R1 request replayed in R2", HttpStatusCode.Unauthorized, ProblemCode.Replayed, a => a.AcceptedR1!),
        new("M31", R2, "reordered: a share-keys envelope after R1 closed", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(ProtocolStage.ShareKeys, MessageCodec.Encode(new ShareKeys())))),
        new("M32", R2, "undersized: the masked vector one element short", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(Edit(a.OwnBody<MaskedInput>(), m => m.Vectors[0] = m.Vectors[0][..^4]))))),
        new("M33", R2, "oversized: the masked vector one element long", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(Edit(a.OwnBody<MaskedInput>(), m => m.Vectors[0] = [.. m.Vectors[0], 0, 0, 0, 0]))))),
        new("M34", R2, "an element not below 2^bits", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(Edit(a.OwnBody<MaskedInput>(), m => m.Vectors[0].AsSpan(0, 4).Fill(0xFF)))))),
        new("M35", R2, "two vectors where the round has one", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(Edit(a.OwnBody<MaskedInput>(), m => m.Vectors = [m.Vectors[0], m.Vectors[0]]))))),
        new("M36", R2, "no vector at all", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(ProtocolStage.MaskedInputCollection, MessageCodec.Encode(Edit(a.OwnBody<MaskedInput>(), m => m.Vectors = []))))),

        // Consistency check: the survivor set the server announced, one tag per surviving neighbour.
        new("M37", R3, "a consistency check over another survivor set", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.ConsistencyCheck, MessageCodec.Encode(Edit(a.OwnBody<ConsistencyCheck>(), c => c.SurvivorSetHash[0] ^= 1))))),
        new("M38", R3, "a consistency check missing one neighbour's tag", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.ConsistencyCheck, MessageCodec.Encode(Edit(a.OwnBody<ConsistencyCheck>(), c =>
            {
                c.TaggedPeers = c.TaggedPeers[..^1];
                c.Tags = c.Tags[..^32];
            }))))),
        new("M39", R3, "the dropped device polls for the survivor set it was left out of", HttpStatusCode.Gone, ProblemCode.NotARecipient,
            a => a.Member(MaskingAdversary.DroppedIndex).Signed(HttpMethod.Get, $"{a.MessagesPath}/2", null)),

        // Unmasking: per owner exactly the share kind its fate allows (secagg.md: never both for one client).
        new("M40", R4, "both kinds of share of the same (dropped) peer", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(), u =>
            {
                RevealedShare key = u.Shares.Single(s => s.OwnerId == a.DroppedId);
                RevealedShare seed = new() { OwnerId = key.OwnerId, Kind = ShareKind.SelfMaskSeed, Share = (byte[])key.Share.Clone() };
                u.Shares = [.. u.Shares.SelectMany(s => s == key ? new[] { seed, key } : [s])];
            }))))),
        new("M41", R4, "the self-mask seed share of a dropped peer (would unmask its input)", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(),
                u => u.Shares.Single(s => s.OwnerId == a.DroppedId).Kind = ShareKind.SelfMaskSeed))))),
        new("M42", R4, "the mask private key share of a surviving peer", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(),
                u => u.Shares.Single(s => s.OwnerId == a.MemberId(1)).Kind = ShareKind.MaskPrivateKey))))),
        new("M43", R4, "the pair seed with the dropped neighbour withheld", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(), u => u.PairSeeds = []))))),
        new("M44", R4, "a share one byte short", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(), u => u.Shares[0].Share = u.Shares[0].Share[..^1]))))),
        new("M45", R4, "a share of a client that is not in the round", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(Edit(a.OwnBody<UnmaskingShares>(),
                u => u.Shares = [.. u.Shares, new RevealedShare { OwnerId = 999, Kind = ShareKind.SelfMaskSeed, Share = new byte[40] }]))))),
        new("M46", MaskingCompleted, "a message after the round completed", HttpStatusCode.Gone, ProblemCode.RoundClosed,
            a => a.Post(a.Seal(ProtocolStage.Unmasking, MessageCodec.Encode(new UnmaskingShares())))),
    ];

    private static T Edit<T>(T value, Action<T> edit)
    {
        edit(value);
        return value;
    }

    private static byte[] Flip(byte[] bytes, Index at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 1;
        return copy;
    }

    private static ClientEnvelope Tampered(ClientEnvelope e)
    {
        e.Signature[0] ^= 1;
        return e;
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = request.Content!.Headers.ContentType;
        request.Content = content;
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, Func<string, string> edit)
    {
        string value = request.Headers.GetValues(name).Single();
        request.Headers.Remove(name);
        request.Headers.Add(name, edit(value));
        return request;
    }
}
