using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// One R0 envelope of a key directory as the client reads it: its fields, with the body and signature as slices of the
// received bytes (no copies). Present is false for a missing entry, body or signature, which the client refuses.
internal readonly record struct DirectoryEntry(bool Present, int Version, uint SenderId, ProtocolStage Stage, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Signature)
{
    public static DirectoryEntry From(ClientEnvelope? e) =>
        e is null || e.Body is null || e.Signature is null
            ? default
            : new DirectoryEntry(true, e.Version, e.SenderId, e.Stage, e.Body, e.Signature);

    // The envelope again, for the few entries whose signature the client checks.
    public ClientEnvelope ToEnvelope() => new() { Version = Version, SenderId = SenderId, Stage = Stage, Body = Body.ToArray(), Signature = Signature.ToArray() };
}
