using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// MessagePack encoding of every protocol message (protocol-spec/secagg.md, "Encoding"). Decoding treats input as
/// untrusted: size limits are checked before parsing, MessagePack's untrusted-data mode bounds nesting, and every
/// failure becomes a <see cref="MalformedMessageException"/>. Both schemes encode through it; the masking protocol's
/// own shapes (its configuration, the server-message union) are extension members in SecureFed.Protocol (SecAggCodec).
/// </summary>
public static class MessageCodec
{
    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Encodes any protocol type.</summary>
    /// <remarks>A message that encodes itself (<see cref="IDirectlyEncoded"/>: a masking envelope, whose body, a masked
    /// input, is hundreds of KB and is copied once, into the result) writes the bytes the general encoder would.</remarks>
    public static byte[] Encode<T>(T value) =>
        value is IDirectlyEncoded direct && direct.TryEncodeDirectly() is { } bytes ? bytes : MessagePackSerializer.Serialize(value, Options);

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
}
