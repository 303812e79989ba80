using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// The masking protocol's own encodings, as static members of the shared <see cref="MessageCodec"/> (which lives in
/// the kernel and knows no scheme's message types), so callers keep writing <c>MessageCodec.EncodeServerMessage</c>.
/// </summary>
public static class SecAggCodec
{
    /// <summary>The masking protocol's encodings on <see cref="MessageCodec"/>.</summary>
    extension(MessageCodec)
    {
        /// <summary>Canonical configuration encoding (the input of the configuration hash).</summary>
        public static byte[] EncodeConfiguration(RoundConfiguration configuration) => MessageCodec.Encode(configuration);

        /// <summary>Encodes a server message as its union array [type code, body] (the union's formatter, whatever the
        /// message's own type).</summary>
        public static byte[] EncodeServerMessage(ServerMessage message) => MessageCodec.Encode<ServerMessage>(message);

        /// <summary>Decodes a server message union.</summary>
        /// <exception cref="MalformedMessageException">Too large or malformed.</exception>
        public static ServerMessage DecodeServerMessage(ReadOnlyMemory<byte> bytes, int maxBytes) => MessageCodec.Decode<ServerMessage>(bytes, maxBytes);
    }
}
