using System.Text.Json;
using SecureFed.Transcripts;

namespace SecureFed.Audit.Keys;

// What the masking and HE key files' JSON share: its options, the format check, 32-byte hex fields and client order.
internal static class KeyFileJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // The file as T, refused unless it is JSON whose "format" (read by format) is formatName.
    public static T Load<T>(string path, string formatName, Func<T, string?> format)
        where T : class
    {
        T? dto;
        try
        {
            dto = JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new TranscriptFormatException($"key file: not valid JSON ({e.Message})", e);
        }
        if (dto is null || format(dto) != formatName)
        {
            throw new TranscriptFormatException($"key file: field 'format' must be \"{formatName}\"");
        }
        return dto;
    }

    // The 32 bytes a hex field holds, else a refusal naming the field.
    public static byte[] Hex32(string? value, string field)
    {
        try
        {
            byte[] bytes = Convert.FromHexString(value ?? "");
            return bytes.Length == TranscriptFormat.HashSize ? bytes : throw new TranscriptFormatException($"key file: field '{field}' must be 32 bytes of hex");
        }
        catch (FormatException)
        {
            throw new TranscriptFormatException($"key file: field '{field}' must be 32 bytes of hex");
        }
    }

    // The clients as listed, refused (when reached) unless they come by strictly ascending id.
    public static IEnumerable<T> Ascending<T>(IEnumerable<T?>? clients, Func<T, uint> id)
        where T : class
    {
        uint previous = 0;
        foreach (T? c in clients ?? [])
        {
            if (c is null || id(c) <= previous)
            {
                throw new TranscriptFormatException("key file: field 'clients' must list clients by strictly ascending id");
            }
            previous = id(c);
            yield return c;
        }
    }
}
