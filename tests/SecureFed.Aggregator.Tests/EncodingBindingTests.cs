using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The float encoding is part of the round configuration, so the configuration hash every signature binds covers it
/// (secagg.md 2.1, he.md 10.1): a device handed a different encoding than the others (here a tenfold clip norm,
/// rewritten on the wire) fails with a typed error, and the round completes without it.
/// </summary>
public sealed partial class EncodingBindingTests
{
    [Theory]
    [InlineData(Schemes.Masking)]
    [InlineData(Schemes.He)]
    public async Task A_device_given_a_tampered_encoding_fails_typed_and_the_others_complete_without_it(string scheme)
    {
        const int clients = 4, length = 12, tampered = 3;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        bool he = scheme == Schemes.He;
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Scheme = scheme,
            He = he ? new HeRoundRequest { Decryptors = [.. federation.ClientIds.Take(3)], Threshold = 2 } : null,
            Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
            Threshold = he ? null : 3,
            StageDeadlineSeconds = 60,
            // The stage the tampered device's envelope is refused in closes at its deadline (R0, or H2 for its upload).
            StageDeadlinesSeconds = he ? [60, 60, 4, 60] : [4, 60, 60, 60, 60],
        });

        Task<FloatContributionResult>[] runs = [.. Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            using var http = i == tampered ? new HttpClient(new TamperingHandler { InnerHandler = new SocketsHttpHandler() }) : null;
            using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[i], http);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            return await client.ContributeAsync(opened.RoundId, FloatDevices.Update(i, length, 0.5), 1, cts.Token);
        }))];
        try
        {
            await Task.WhenAll(runs);
        }
        catch (SecureFedException)
        {
            // inspected below
        }

        Exception? failure = runs[tampered].Exception?.InnerException;
        Assert.True(failure is RoundAbortedException or RequestRefusedException, $"the tampered device ended with {failure?.GetType().Name ?? "success"}: {failure?.Message}");
        if (failure is RequestRefusedException refused)
        {
            Assert.Equal(ProblemCode.BadEnvelopeSignature, refused.Problem); // its envelope is signed under another configuration hash
        }
        uint[] honest = [.. federation.ClientIds.Where((_, i) => i != tampered)];
        foreach (Task<FloatContributionResult> run in runs.Where((_, i) => i != tampered))
        {
            Assert.True(run.IsCompletedSuccessfully, run.Exception?.ToString());
            Assert.Equal(honest, (await run).Survivors);
        }
    }

    // Rewrites the round info's configuration: the float encoding's clip norm times ten (the rest unchanged).
    private sealed partial class TamperingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (request.Method != HttpMethod.Get || !RoundInfoPath().IsMatch(request.RequestUri!.AbsolutePath) || !response.IsSuccessStatusCode)
            {
                return response;
            }
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            RoundInfo info = MessageCodec.Decode<RoundInfo>(body, body.Length);
            if (info.Scheme == Schemes.He)
            {
                var c = MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, info.Configuration.Length);
                c.FloatEncoding!.ClipNorm *= 10;
                info.Configuration = MessageCodec.Encode(c);
            }
            else
            {
                var c = MessageCodec.Decode<RoundConfiguration>(info.Configuration, info.Configuration.Length);
                c.FloatEncoding!.ClipNorm *= 10;
                info.Configuration = MessageCodec.Encode(c);
            }
            var tampered = new ByteArrayContent(MessageCodec.Encode(info));
            tampered.Headers.ContentType = new MediaTypeHeaderValue(TransportHeaders.MessagePack);
            response.Content = tampered;
            return response;
        }

        [GeneratedRegex("^/v1/rounds/[0-9a-f]{32}$")]
        private static partial Regex RoundInfoPath();
    }
}
