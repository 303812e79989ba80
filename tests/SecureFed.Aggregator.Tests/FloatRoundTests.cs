using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Float rounds over the real service (Kestrel and SQLite on 127.0.0.1): the open request carries the encoding, devices
/// contribute floats through SecureFedClient and decode the weighted average themselves from the published sums.
/// </summary>
public sealed class FloatRoundTests
{
    [Fact]
    public async Task A_float_round_returns_every_device_the_weighted_average_within_the_encodings_error_bound()
    {
        const int clients = 5, length = 200;
        const double clip = 2.0;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Float = new FloatEncodingRequest { Length = length, ClipNorm = clip, Bits = 32, MaxWeight = 4 },
        });

        // Devices 1 and 3 are above the clip norm; weights differ, one is not a multiple of 2^-16.
        float[][] updates = [.. Enumerable.Range(0, clients).Select(i => FloatDevices.Update(i, length, i % 2 == 1 ? 3.5 : 1.2))];
        double[] weights = [1, 2.5, 0.3333333, 4, 1];
        FloatContributionResult[] results = await FloatDevices.ContributeAsync(federation, service.ClientOptions(), opened.RoundId, updates, weights);

        double[] expected = FloatDevices.ExpectedAverage(updates, weights, clip);
        foreach (FloatContributionResult r in results)
        {
            Assert.Equal(federation.ClientIds, r.Survivors);
            Assert.True(double.IsFinite(r.ErrorBound) && r.ErrorBound > 0 && r.ErrorBound < 1e-6, $"error bound {r.ErrorBound}");
            Assert.Equal(weights.Sum(w => Math.Round(w * 65536) / 65536), r.WeightSum, 12);
            double worst = expected.Select((e, i) => Math.Abs(r.Average[i] - e)).Max();
            Assert.True(worst <= r.ErrorBound, $"worst error {worst} above the bound {r.ErrorBound}");
            Assert.Equal(results[0].Average, r.Average); // every device decodes the same published sums
        }
        Assert.Equal([false, true, false, true, false], results.Select(r => r.Clipped));
        Assert.Equal(3.5, results[1].OriginalNorm, 5);
    }

    [Fact]
    public async Task Bad_input_is_refused_on_the_device_naming_the_first_bad_index_and_the_server_receives_nothing()
    {
        const int clients = 3, length = 8;
        // NaN and infinity are refused before any request: this server does not exist.
        using (var offline = new SecureFedClient(new SecureFedClientOptions { ServerUrl = new Uri("http://127.0.0.1:9/"), MaxAttempts = 1 }, SeedKeyStore.For("nan", 0)))
        {
            float[] nan = new float[length];
            nan[5] = float.NaN;
            nan[6] = float.PositiveInfinity;
            var e = await Assert.ThrowsAsync<ArgumentException>(() => offline.ContributeAsync(new string('0', 32), nan));
            Assert.Contains("update[5] is NaN", e.Message, StringComparison.Ordinal);
            double[] inf = new double[length];
            inf[2] = double.NegativeInfinity;
            e = await Assert.ThrowsAsync<ArgumentException>(() => offline.ContributeAsync(new string('0', 32), inf));
            Assert.Contains("update[2] is infinite", e.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => offline.ContributeAsync(new string('0', 32), new float[length], weight: double.NaN));
        }

        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
        });
        using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[0]);
        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => client.ContributeAsync(opened.RoundId, new float[length + 1]));
        Assert.Contains($"must have {length} coordinates, got {length + 1}", wrong.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ContributeAsync(opened.RoundId, new float[length], weight: 2)); // MaxWeight 1
        // An integer contribution to a float round is the app's mistake too, but the protocol cannot tell; a float
        // contribution to an integer round is refused before anything is sent.
        RoundStatus integer = await federation.OpenRoundAsync(admin, length, 32);
        var notFloat = await Assert.ThrowsAsync<RequestRefusedException>(() => client.ContributeAsync(integer.RoundId, new float[length]));
        Assert.Equal("not-a-float-round", notFloat.Code);

        RoundStatus status = await admin.GetRoundAsync(opened.RoundId, includeSums: false);
        Assert.Equal(0, status.Received);
        Assert.Equal(0, (await admin.GetRoundAsync(integer.RoundId, includeSums: false)).Received);
    }

    [Fact]
    public async Task Opening_an_encoding_that_could_wrap_or_has_a_bad_field_is_refused_naming_the_field_with_the_numbers()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 4);

        var overflow = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Float = new FloatEncodingRequest { Length = 10, ClipNorm = 1, Bits = 16, MinimumScale = 1e6 },
        }));
        Assert.Equal(400, overflow.StatusCode);
        Assert.Equal(ProblemCode.InvalidConfiguration, overflow.Problem);
        Assert.Equal("Float.MinimumScale", overflow.InvalidConfiguration!.Field);
        Assert.Contains("the sum of 4 clients at clip norm 1", overflow.Message, StringComparison.Ordinal);
        Assert.Contains("can wrap around 2^16", overflow.Message, StringComparison.Ordinal);
        Assert.Contains("bits would fit", overflow.Message, StringComparison.Ordinal);

        foreach (var (request, field) in new (FloatEncodingRequest, string)[]
        {
            (new() { Length = 10, ClipNorm = 0 }, "Float.ClipNorm"),
            (new() { Length = 0, ClipNorm = 1 }, "Float.Length"),
            (new() { Length = 10, ClipNorm = 1, Bits = 70 }, "Float.Bits"),
            (new() { Length = 10, ClipNorm = 1, MaxWeight = 0 }, "Float.MaxWeight"),
        })
        {
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(new OpenRoundRequest { Federation = federation.Name, Float = request }));
            Assert.Equal(400, e.StatusCode);
            Assert.Equal(field, e.InvalidConfiguration?.Field);
        }
        var both = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Vectors = [new VectorRequest { Length = 10 }],
            Float = new FloatEncodingRequest { Length = 10, ClipNorm = 1 },
        }));
        Assert.Equal("Vectors", both.InvalidConfiguration?.Field);
    }

    // Client sampling: the open request names the round's clients; only they are on its roster.
    [Fact]
    public async Task A_round_over_a_sample_of_the_federation_sums_only_the_sampled_devices()
    {
        const int clients = 5, length = 16;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        var bad = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name, Clients = [federation.ClientIds[0], 9999], Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
        }));
        Assert.Equal("Clients", bad.InvalidConfiguration?.Field);

        int[] sample = [0, 2, 4];
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Clients = [.. sample.Select(i => federation.ClientIds[i])],
            Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
        });
        Assert.Equal(3, opened.RosterSize);
        using (var outsider = new SecureFedClient(service.ClientOptions(), federation.Keys[1]))
        {
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => outsider.ContributeAsync(opened.RoundId, new float[length]));
            Assert.Equal(ProblemCode.NotEnrolled, e.Problem);
        }
        var tasks = sample.Select(i => Task.Run(async () =>
        {
            using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[i]);
            return await client.ContributeAsync(opened.RoundId, FloatDevices.Update(i, length, 0.5));
        })).ToArray();
        FloatContributionResult[] results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal(sample.Select(i => federation.ClientIds[i]), r.Survivors));
        double[] expected = FloatDevices.ExpectedAverage([.. sample.Select(i => FloatDevices.Update(i, length, 0.5))], [1, 1, 1], 1);
        Assert.True(expected.Select((x, k) => Math.Abs(results[0].Average[k] - x)).Max() <= results[0].ErrorBound);
    }
}
