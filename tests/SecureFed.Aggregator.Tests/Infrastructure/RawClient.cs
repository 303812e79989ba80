using System.Globalization;
using System.Net.Http.Headers;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>Builds signed requests by hand, so tests can replay, tamper and mis-sign them.</summary>
public sealed class RawClient(HttpClient http, IdentityKeyPair identity)
{
    public HttpClient Http => http;

    public HttpRequestMessage Signed(HttpMethod method, string path, byte[]? body, long? timestampMs = null, byte[]? nonce = null)
    {
        nonce ??= Guid.NewGuid().ToByteArray();
        long ts = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] signature = RequestSigning.Sign(identity, method.Method, path, ts, nonce, body ?? []);
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TransportHeaders.Key, identity.PublicKey.ToString());
        request.Headers.Add(TransportHeaders.Timestamp, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(TransportHeaders.Nonce, Convert.ToHexStringLower(nonce));
        request.Headers.Add(TransportHeaders.Signature, Convert.ToBase64String(signature));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(TransportHeaders.MessagePack);
        }
        return request;
    }

    public static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage original)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri);
        foreach (var h in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }
        if (original.Content is not null)
        {
            copy.Content = new ByteArrayContent(await original.Content.ReadAsByteArrayAsync());
            copy.Content.Headers.ContentType = original.Content.Headers.ContentType;
        }
        return copy;
    }

    public static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        return doc.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
    }
}
