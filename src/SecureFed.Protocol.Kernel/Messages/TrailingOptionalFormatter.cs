using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// The canonical form of a record whose last keys are optional (secagg.md 2: "trailing absent fields are omitted"):
/// written as the generated array layout without its trailing nil elements, so a record that does not use the optional
/// keys encodes byte for byte as it did before they existed (and hashes the same); read in either form, a missing
/// trailing key taking its default.
/// </summary>
/// <typeparam name="T">A <c>[MessagePackObject]</c> record with integer keys 0..n-1.</typeparam>
public abstract class TrailingOptionalFormatter<T> : IMessagePackFormatter<T?>
    where T : class
{
    // The key layout of T as MessagePack generates it (this resolver does not look at [MessagePackFormatter]).
    private static readonly IMessagePackFormatter<T> Layout = DynamicObjectResolver.Instance.GetFormatterWithVerify<T>();

    /// <summary>How many of the trailing elements may be left out for <paramref name="value"/> (its trailing nil keys).</summary>
    protected abstract int OmittedTrailingNils(T value);

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, T? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        var buffer = new ArrayBufferWriter<byte>();
        var inner = new MessagePackWriter(buffer);
        Layout.Serialize(ref inner, value, options);
        inner.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        int count = reader.ReadArrayHeader();
        ReadOnlySpan<byte> body = buffer.WrittenSpan[(int)reader.Consumed..];
        int omit = OmittedTrailingNils(value);
        for (int i = 1; i <= omit; i++)
        {
            if (body[^i] != MessagePackCode.Nil)
            {
                throw new InvalidOperationException($"{typeof(T).Name}: trailing element {count - i} is not nil");
            }
        }
        writer.WriteArrayHeader(count - omit);
        writer.WriteRaw(body[..^omit]);
    }

    /// <inheritdoc/>
    public T? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.TryReadNil() ? null : Layout.Deserialize(ref reader, options);
}
