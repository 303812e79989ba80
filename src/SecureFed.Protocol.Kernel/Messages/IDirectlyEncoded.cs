namespace SecureFed.Protocol.Messages;

/// <summary>
/// A message that writes its own MessagePack encoding with fewer copies than the generated formatter (a masked
/// input's envelope carries a body of hundreds of KB). <see cref="MessageCodec.Encode{T}"/> asks it first, so the
/// kernel's codec serves a scheme's fast path without knowing the scheme's message types.
/// </summary>
public interface IDirectlyEncoded
{
    /// <summary>
    /// The message's encoding, byte for byte what the generated MessagePack formatter writes for it; null to leave the
    /// encoding to that formatter (a shape the fast path does not write).
    /// </summary>
    byte[]? TryEncodeDirectly();
}
