using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Storage;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// Checks a client request's signature headers (protocol-spec/transport.md, "Signed requests"): a known-format key,
/// a timestamp inside the replay window, a nonce never seen (the nonces are persisted, so this holds across restarts),
/// and an Ed25519 signature over method, path, key, timestamp, nonce and body hash.
/// </summary>
internal sealed class RequestAuthenticator(NonceStore nonces, TimeProvider time, IOptions<AggregatorOptions> options)
{
    private readonly long _windowMs = (long)(options.Value.ReplayWindowSeconds * 1000);

    public async Task<AuthenticatedRequest> AuthenticateAsync(HttpContext context, long maxBodyBytes)
    {
        HttpRequest request = context.Request;
        string keyHex = Header(request, TransportHeaders.Key);
        if (keyHex.Length != 2 * IdentityPublicKey.Size || !keyHex.All(char.IsAsciiHexDigit))
        {
            throw Unauthorized(ProblemCode.Unsigned, $"{TransportHeaders.Key} must be 64 hex digits");
        }
        IdentityPublicKey key;
        try
        {
            key = IdentityPublicKey.Import(Convert.FromHexString(keyHex));
        }
        catch (FormatException)
        {
            throw Unauthorized(ProblemCode.Unsigned, $"{TransportHeaders.Key} is not an Ed25519 public key");
        }
        if (!long.TryParse(Header(request, TransportHeaders.Timestamp), NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            throw Unauthorized(ProblemCode.Unsigned, $"{TransportHeaders.Timestamp} must be milliseconds since the Unix epoch");
        }
        string nonceHex = Header(request, TransportHeaders.Nonce);
        if (nonceHex.Length != 2 * RequestSigning.NonceSize || !nonceHex.All(char.IsAsciiHexDigit))
        {
            throw Unauthorized(ProblemCode.Unsigned, $"{TransportHeaders.Nonce} must be {2 * RequestSigning.NonceSize} hex digits");
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Header(request, TransportHeaders.Signature));
        }
        catch (FormatException)
        {
            throw Unauthorized(ProblemCode.Unsigned, $"{TransportHeaders.Signature} must be base64");
        }
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long oldest = now - _windowMs;
        if (timestamp < oldest || timestamp > now + _windowMs)
        {
            throw Unauthorized(ProblemCode.StaleRequest, "the request timestamp is outside the replay window (check the clock, then sign a fresh request)");
        }
        byte[] body = await ReadBodyAsync(context, maxBodyBytes).ConfigureAwait(false);
        string path = request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        if (!RequestSigning.Verify(key, request.Method, path, timestamp, Convert.FromHexString(nonceHex), body, signature))
        {
            throw Unauthorized(ProblemCode.BadRequestSignature, "the request signature does not verify (method, path, timestamp, nonce or body altered)");
        }
        if (!nonces.TryUse(keyHex.ToLowerInvariant(), nonceHex.ToLowerInvariant(), timestamp, oldest))
        {
            throw Unauthorized(ProblemCode.Replayed, "this request (nonce) was already received");
        }
        return new AuthenticatedRequest(key, keyHex.ToLowerInvariant(), body);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, long maxBodyBytes)
    {
        if (context.Request.ContentLength > maxBodyBytes)
        {
            throw new AggregatorProblemException(ProblemCode.Oversized, $"the body of {context.Request.ContentLength} bytes exceeds this round's limit of {maxBodyBytes} bytes");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodyBytes;
        }
        try
        {
            // With a Content-Length (every client request has one) the body is read straight into one array of its
            // size: no growing buffer and final copy, which for a masked input or an HE upload in flight meant up to
            // three copies of it on the heap at once.
            return context.Request.ContentLength is long length and <= int.MaxValue
                ? await ReadExactAsync(context, (int)length).ConfigureAwait(false)
                : await ReadChunkedAsync(context, maxBodyBytes).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new AggregatorProblemException(ProblemCode.Oversized, $"the body exceeds this round's limit of {maxBodyBytes} bytes");
        }
    }

    private static async Task<byte[]> ReadExactAsync(HttpContext context, int length)
    {
        byte[] body = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = await context.Request.Body.ReadAsync(body.AsMemory(filled), context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                throw new AggregatorProblemException(ProblemCode.Malformed, $"the body ended after {filled} of its {length} bytes");
            }
            filled += read;
        }
        return body;
    }

    private static async Task<byte[]> ReadChunkedAsync(HttpContext context, long maxBodyBytes)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes)
            {
                throw new AggregatorProblemException(ProblemCode.Oversized, $"the body exceeds this round's limit of {maxBodyBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { } s ? s : "";

    private static AggregatorProblemException Unauthorized(ProblemCode code, string detail) => new(code, detail);
}
