using System.Net;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Lattice.Bfv;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using static SecureFed.Aggregator.Tests.Adversary.AttackPoint;
using Case = SecureFed.Aggregator.Tests.Adversary.AdversaryCase<SecureFed.Aggregator.Tests.Adversary.HeAdversary>;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// The HE round's adversary cases, in the order they are sent: an enrolled device that is not a decryptor tries to act
/// as one, and sends uploads that are malformed, mis-shaped, mis-committed or mis-signed (protocol-spec/he.md section
/// 10, transport.md section 4).
/// </summary>
public static class HeAdversaryCases
{
    public static IReadOnlyList<Case> All { get; } =
    [
        new("H01", H0, "a key advertisement from a device that is not a decryptor", HttpStatusCode.Conflict, ProblemCode.NotExpected,
            a => a.Post(a.Seal(HeStage.KeyAdvertisement, a.DecryptorAdvertisementBody()))),
        new("H02", H0, "an advertisement naming a decryptor, sent by another device (claiming its id)", HttpStatusCode.Forbidden, ProblemCode.SenderMismatch,
            a => a.Post(a.Seal(HeStage.KeyAdvertisement, a.DecryptorAdvertisementBody(), sender: a.MemberId(0)))),
        new("H03", H0, "wrong stage: an upload during key advertisement", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(HeStage.Upload, [0x90]))),
        new("H04", H0, "a body that is not MessagePack", HttpStatusCode.BadRequest, ProblemCode.Malformed, a => a.Post([0xC1, 0x00, 0x01])),
        new("H05", H0, "a body one byte over the round's largest envelope", HttpStatusCode.RequestEntityTooLarge, ProblemCode.Oversized,
            a => a.Post(new byte[Enum.GetValues<HeStage>().Max(s => HeServer.MaxEnvelopeBytes(a.Parameters, s)) + 1])),
        new("H06", H0, "a poll on the masking route", HttpStatusCode.Conflict, ProblemCode.WrongScheme, a => a.Get($"{a.MessagesPath}/0")),
        new("H07", H0, "a poll for a close index out of range", HttpStatusCode.BadRequest, ProblemCode.InvalidClose, a => a.Get($"/v1/rounds/{a.RoundId}/he/closes/5000")),
        new("H08", H2, "the upload envelope's signature tampered", HttpStatusCode.BadRequest, ProblemCode.BadEnvelopeSignature,
            a => a.Post(MessageCodec.Encode(Edit(a.Own, e => e.Signature[3] ^= 1)))),
        new("H09", H2, "undersized: the ciphertext vector one byte short", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(HeStage.Upload, MessageCodec.Encode(Edit(a.OwnUpload, u => u.Upload = u.Upload[..^1]))))),
        new("H10", H2, "oversized: the ciphertext vector with one extra byte", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(HeStage.Upload, MessageCodec.Encode(Edit(a.OwnUpload, u => u.Upload = [.. u.Upload, 0]))))),
        new("H11", H2, "a bad ciphertext (every coefficient 0xFF..., above its prime), committed and signed by its sender", HttpStatusCode.UnprocessableEntity, ProblemCode.WrongLength,
            a => a.Post(a.Seal(HeStage.Upload, MessageCodec.Encode(a.Committed(Edit(a.OwnUpload.Upload, u => u.AsSpan(CiphertextCodec.HeaderSize).Fill(0xFF))))))),
        new("H12", H2, "a commitment that does not match the upload", HttpStatusCode.UnprocessableEntity, ProblemCode.InvalidContent,
            a => a.Post(a.Seal(HeStage.Upload, MessageCodec.Encode(Edit(a.OwnUpload, u => u.Commitment[0] ^= 1))))),
        new("H13", H2, "the commitment signature tampered", HttpStatusCode.BadRequest, ProblemCode.BadEnvelopeSignature,
            a => a.Post(a.Seal(HeStage.Upload, MessageCodec.Encode(Edit(a.OwnUpload, u => u.CommitmentSignature[0] ^= 1))))),
        new("H14", H2, "a decryption share from a device that is not a decryptor", HttpStatusCode.Conflict, ProblemCode.WrongStage,
            a => a.Post(a.Seal(HeStage.DecryptionShare, MessageCodec.Encode(new DecryptionShareBody())))),
        new("H15", HeCompleted, "an upload after the round completed", HttpStatusCode.Gone, ProblemCode.RoundClosed,
            a => a.Post(a.Seal(HeStage.Upload, [0x90]))),
    ];

    private static T Edit<T>(T value, Action<T> edit)
    {
        edit(value);
        return value;
    }
}
