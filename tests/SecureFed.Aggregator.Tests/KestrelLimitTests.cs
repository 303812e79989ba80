using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Tests.Infrastructure;

namespace SecureFed.Aggregator.Tests;

/// <summary>Kestrel's connection and header limits come from the service's settings, and the header limit holds on
/// the wire: a header block over it is answered 431 before any endpoint runs.</summary>
public sealed class KestrelLimitTests
{
    [Fact]
    public async Task Connection_and_header_limits_are_set_from_the_settings_and_an_oversized_header_block_gets_431()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:MaxConnections=500", "--Aggregator:MaxRequestHeaderBytes=8192");
        KestrelServerOptions kestrel = service.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(500, kestrel.Limits.MaxConcurrentConnections);
        Assert.Equal(8192, kestrel.Limits.MaxRequestHeadersTotalSize);

        using var http = new HttpClient { BaseAddress = service.Url };
        using var small = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        small.Headers.Add("X-Padding", new string('a', 4000));
        using (HttpResponseMessage ok = await http.SendAsync(small))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var large = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        large.Headers.Add("X-Padding", new string('a', 9000));
        using HttpResponseMessage refused = await http.SendAsync(large);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
    }
}
