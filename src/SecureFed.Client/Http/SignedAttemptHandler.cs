using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport;

namespace SecureFed.Client.Http;

/// <summary>
/// The innermost step of the client's HTTP pipeline: turns the logical request into one signed attempt
/// (protocol-spec/transport.md, "Signed requests") with a fresh timestamp and nonce, and sends it over the transport.
/// It sits below the resilience handler, so every retry is signed afresh: the server refuses a reused nonce.
/// </summary>
internal sealed class SignedAttemptHandler(HttpMessageInvoker transport, IdentityKeyPair identity) : HttpMessageHandler
{
    /// <summary>The path and query that are signed (as the server sees them).</summary>
    public static readonly HttpRequestOptionsKey<string> SignedPath = new("SecureFed.SignedPath");

    /// <summary>The request body that is signed (empty when the request has none).</summary>
    public static readonly HttpRequestOptionsKey<byte[]> SignedBody = new("SecureFed.SignedBody");

    private readonly string _keyHex = Convert.ToHexStringLower(identity.PublicKey.Bytes);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SignedPath, out string? path) || !request.Options.TryGetValue(SignedBody, out byte[]? body))
        {
            throw new InvalidOperationException("a SecureFed request carries its signed path and body in its options");
        }
        HttpRequestMessage attempt = Sign(request.Method, request.RequestUri!, path, body, request.Content is not null);
        return SendAttemptAsync(attempt, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage attempt, CancellationToken cancellationToken)
    {
        using (attempt)
        {
            HttpResponseMessage response = await transport.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
            // Read the answer inside the attempt, so that its timeout covers the body too and retries see a complete response.
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
    }

    private HttpRequestMessage Sign(HttpMethod method, Uri uri, string path, byte[] body, bool hasContent)
    {
        byte[] nonce = new byte[RequestSigning.NonceSize];
        SystemRandomSource.Instance.Fill(nonce);
        long timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] signature = RequestSigning.Sign(identity, method.Method, path, timestamp, nonce, body);
        var attempt = new HttpRequestMessage(method, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        attempt.Headers.Add(TransportHeaders.Key, _keyHex);
        attempt.Headers.Add(TransportHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        attempt.Headers.Add(TransportHeaders.Nonce, Convert.ToHexStringLower(nonce));
        attempt.Headers.Add(TransportHeaders.Signature, Convert.ToBase64String(signature));
        if (hasContent)
        {
            attempt.Content = new ByteArrayContent(body);
            attempt.Content.Headers.ContentType = new MediaTypeHeaderValue(TransportHeaders.MessagePack);
        }
        return attempt;
    }
}
