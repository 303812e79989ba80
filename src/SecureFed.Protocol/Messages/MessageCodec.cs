using MessagePack;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// MessagePack encoding of every protocol message (protocol-spec/secagg.md, "Encoding"). Decoding treats input as
/// untrusted: size limits are checked before parsing, MessagePack's untrusted-data mode bounds nesting, and every
/// failure becomes a <see cref="MalformedMessageException"/>.
/// </summary>
public static class MessageCodec
{
    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Encodes any protocol type.</summary>
    /// <remarks>An envelope's body (a masked input is hundreds of KB) is copied once, into the result.</remarks>
    public static byte[] Encode<T>(T value) =>
        value is ClientEnvelope envelope && EnvelopeView.TryEncode(envelope) is { } bytes ? bytes : MessagePackSerializer.Serialize(value, Options);

    /// <summary>Canonical configuration encoding (the input of the configuration hash).</summary>
    public static byte[] EncodeConfiguration(RoundConfiguration configuration) => Encode(configuration);

    /// <summary>Encodes a server message as its union array [type code, body].</summary>
    public static byte[] EncodeServerMessage(ServerMessage message) => MessagePackSerializer.Serialize(message, Options);

    /// <summary>Decodes a value of type <typeparamref name="T"/> from at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="MalformedMessageException">Too large, not MessagePack, or not of the expected shape.</exception>
    public static T Decode<T>(ReadOnlyMemory<byte> bytes, int maxBytes)
        where T : class
    {
        if (bytes.Length > maxBytes)
        {
            throw new MalformedMessageException($"message of {bytes.Length} bytes exceeds the limit of {maxBytes} bytes");
        }
        T? value;
        try
        {
            value = MessagePackSerializer.Deserialize<T>(bytes, Options, out int read);
            if (read != bytes.Length)
            {
                throw new MalformedMessageException($"{bytes.Length - read} trailing bytes after the {typeof(T).Name}");
            }
        }
        catch (MessagePackSerializationException e)
        {
            throw new MalformedMessageException($"not a valid {typeof(T).Name}: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new MalformedMessageException($"not a valid {typeof(T).Name}: {e.Message}", e);
        }
        return value ?? throw new MalformedMessageException($"a {typeof(T).Name} was expected, got nil");
    }

    /// <summary>Decodes a server message union.</summary>
    /// <exception cref="MalformedMessageException">Too large or malformed.</exception>
    public static ServerMessage DecodeServerMessage(ReadOnlyMemory<byte> bytes, int maxBytes) => Decode<ServerMessage>(bytes, maxBytes);
}
