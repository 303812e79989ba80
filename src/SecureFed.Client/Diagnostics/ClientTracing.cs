using System.Diagnostics;

namespace SecureFed.Client.Diagnostics;

/// <summary>
/// The client's spans on the activity source "SecureFed.Client": <c>securefed.contribute</c> per round taken part in,
/// <c>securefed.stage</c> per stage within it, and <c>securefed.request</c> per logical request (its attempts are the
/// HttpClient's own spans beneath it). Tags carry ids and names only.
/// </summary>
internal static class ClientTracing
{
    public const string SourceName = "SecureFed.Client";

    public static readonly ActivitySource Source = new(SourceName, typeof(ClientTracing).Assembly.GetName().Version?.ToString());
}
