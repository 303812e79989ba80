using System.Net.Http.Headers;
using System.Text.Json;

namespace SecureFed.Cli.Commands;

// `serve admin transcript ROUND --out FILE`: GET /admin/v1/rounds/{round}/transcript and save the bytes unchanged.
internal static class ServeAdminTranscript
{
    private const string KeyHeader = "X-SecureFed-Aggregator-Key";

    public static int Download(Uri server, string adminKey, string round, string outPath, TextWriter output, TextWriter error)
    {
        if (round.Length == 0 || !round.All(char.IsAsciiHexDigit))
        {
            throw new CliUsageException($"'{round}' is not a round id (hex)");
        }
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/v1/rounds/{round}/transcript");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        try
        {
            using HttpResponseMessage response = http.Send(request);
            byte[] body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                error.WriteLine($"securefed serve admin: {(int)response.StatusCode}: {ProblemDetail(body)}");
                return 1;
            }
            File.WriteAllBytes(outPath, body);
            string publicKey = response.Headers.TryGetValues(KeyHeader, out var values) ? values.First() : "(not sent)";
            output.WriteLine(JsonSerializer.Serialize(new { round, file = Path.GetFullPath(outPath), bytes = body.Length, aggregatorKey = publicKey }));
            return 0;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"securefed serve admin: cannot reach {server}: {e.Message}");
            return 1;
        }
    }

    // The problem+json detail when there is one, else the raw text (bounded: it goes to a terminal).
    private static string ProblemDetail(byte[] body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out JsonElement d))
            {
                return d.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
        }
        string text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] : text;
    }
}
