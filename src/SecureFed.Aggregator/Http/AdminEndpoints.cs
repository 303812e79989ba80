using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Http;

/// <summary>The operator's API under /admin/v1 (JSON, <c>Authorization: Bearer &lt;admin key&gt;</c>).</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder admin = app.MapGroup("/admin/v1").AddEndpointFilter(async (ctx, next) =>
            ctx.HttpContext.RequestServices.GetRequiredService<AdminCredential>().Accepts(ctx.HttpContext.Request)
                ? await next(ctx).ConfigureAwait(false)
                : ProblemResponses.Problem(ProblemCode.AdminUnauthorized, "the admin API needs Authorization: Bearer <admin key>"));

        admin.MapPost("/federations/{federation}/clients", async (string federation, EnrolKeysRequest body, IRoundHost rounds, TimeProvider time, CancellationToken ct) =>
        {
            var keys = (body?.PublicKeys ?? []).Select(ParseKey).ToList();
            uint[] ids = await rounds.EnrolAsync(federation, keys, time.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
            return Results.Json(new EnrolKeysResponse { ClientIds = [.. ids] }, AdminJson.Options);
        });
        admin.MapDelete("/federations/{federation}/clients/{clientId:long}", async (string federation, long clientId, IRoundHost rounds, CancellationToken ct) =>
            clientId is >= 1 and <= int.MaxValue && await rounds.RevokeAsync(federation, (uint)clientId, ct).ConfigureAwait(false)
                ? Results.NoContent()
                : ProblemResponses.Problem(ProblemCode.UnknownClient, $"no client {clientId} in federation '{federation}'"));
        admin.MapPost("/federations/{federation}/enrolment-tokens", async (string federation, EnrolmentTokenRequest? body, IRoundHost rounds, TimeProvider time, CancellationToken ct) =>
        {
            double seconds = body?.ValidSeconds ?? 3600;
            if (!(seconds is > 0 and <= 30 * 86_400))
            {
                throw new AggregatorProblemException(ProblemCode.InvalidTokenLifetime, $"ValidSeconds must be in (0, 2592000], got {seconds}");
            }
            long expires = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)(seconds * 1000);
            byte[] token = await rounds.CreateTokenAsync(federation, expires, ct).ConfigureAwait(false);
            return Results.Json(new EnrolmentTokenResponse { Token = Convert.ToHexStringLower(token), ExpiresUnixMs = expires }, AdminJson.Options);
        });
        admin.MapPut("/federations/{federation}/privacy-budget", async (string federation, PrivacyBudgetRequest body, IPrivacyBudgets budgets, CancellationToken ct) =>
        {
            RosterStore.ValidateFederationName(federation);
            return Results.Json(await budgets.SetBudgetAsync(federation, body, ct).ConfigureAwait(false), AdminJson.Options);
        });
        admin.MapGet("/federations/{federation}/privacy-ledger", async (string federation, IPrivacyBudgets budgets, CancellationToken ct) =>
            Results.Json(await budgets.ViewAsync(federation, ct).ConfigureAwait(false), AdminJson.Options));
        admin.MapPost("/rounds", async (OpenRoundRequest body, IRoundHost rounds, CancellationToken ct) =>
            Results.Json(await rounds.OpenAsync(body, ct).ConfigureAwait(false), AdminJson.Options, statusCode: 201));
        admin.MapGet("/rounds", async (IRoundHost rounds, CancellationToken ct) =>
            Results.Json(await rounds.ListAsync(ct).ConfigureAwait(false), AdminJson.Options));
        admin.MapGet("/rounds/{roundId}", async (string roundId, bool? sums, IRoundHost rounds, CancellationToken ct) =>
            Results.Json(await rounds.DescribeAsync(roundId, sums ?? true, ct).ConfigureAwait(false), AdminJson.Options));
        admin.MapGet("/rounds/{roundId}/transcript", async (string roundId, IRoundHost rounds, IServiceProvider services, HttpContext http, CancellationToken ct) =>
        {
            (string id, byte[] file) = await rounds.TranscriptAsync(roundId, services.GetRequiredService<TranscriptSigningKey>, ct).ConfigureAwait(false);
            http.Response.Headers[AggregatorKeyHeader] = services.GetRequiredService<TranscriptSigningKey>().PublicKeyHex;
            return Results.File(file, "application/octet-stream", $"round-{id}.sftrns");
        });
        admin.MapGet("/transcript-key", (IOptions<AggregatorOptions> options, IServiceProvider services) =>
            options.Value.TranscriptsEnabled
                ? Results.Json(new { publicKey = services.GetRequiredService<TranscriptSigningKey>().PublicKeyHex }, AdminJson.Options)
                : ProblemResponses.Problem(ProblemCode.TranscriptsDisabled, "transcripts are disabled (Aggregator:TranscriptsEnabled)"));
        admin.MapPost("/rounds/{roundId}/abort", async (string roundId, IRoundHost rounds, CancellationToken ct) =>
            Results.Json(await rounds.AbortAsync(roundId, "aborted by the operator", ct).ConfigureAwait(false), AdminJson.Options));
    }

    /// <summary>Response header of a transcript download: the signing key's public half (hex).</summary>
    public const string AggregatorKeyHeader = "X-SecureFed-Aggregator-Key";

    private static byte[] ParseKey(string? hex)
    {
        try
        {
            if (hex is { Length: 2 * IdentityPublicKey.Size } && hex.All(char.IsAsciiHexDigit))
            {
                return IdentityPublicKey.Import(Convert.FromHexString(hex)).Bytes.ToArray();
            }
        }
        catch (FormatException)
        {
        }
        throw new AggregatorProblemException(ProblemCode.InvalidKey, $"'{hex}' is not a 64-hex-digit Ed25519 public key");
    }
}
