using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Client.Seal;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// he.md section 11.3 over real HTTP: a device contributes through <see cref="SecureFedClient.ContributeSealAsync"/>,
/// its encryptor receiving the round's key as SEAL bytes and returning SEAL ciphertexts. Here the encryptor is
/// SecureFed's own SEAL codec (no node needed); the same path with Microsoft SEAL itself is
/// tests/SecureFed.HeProtocol.Tests/Seal and samples/SealClient/run.sh (CI).
/// </summary>
public sealed class HeSealClientTests
{
    [Fact]
    public async Task A_device_uploading_SEAL_ciphertexts_is_summed_with_the_others()
    {
        const int length = 5000; // two ciphertexts of N = 4096
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus opened = await OpenAsync(admin, federation, length, lanes: 1, bodies: 1);

        var encryptor = new CodecEncryptor(HeTestRound.Input(2, length));
        var runs = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[i]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            return i == 2
                ? await client.ContributeSealAsync(opened.RoundId, encryptor, cts.Token)
                : await client.ContributeAsync(opened.RoundId, HeTestRound.Input(i, length), cts.Token);
        })).ToArray();
        await Task.WhenAll(runs);

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(HeTestRound.ExpectedSum([0, 1, 2], length), done.Sums![0]);
        Assert.True((await runs[2]).Included);
        SealRoundKey key = Assert.Single(encryptor.Keys);
        Assert.Equal((4096, 2, length, 32), (key.Degree, key.BlockCount, key.VectorLength, key.Bits));
        Assert.Equal(0xA15E, key.PublicKey[0] | key.PublicKey[1] << 8);
    }

    [Fact]
    public async Task A_round_in_the_default_layout_is_refused_before_the_SEAL_device_sends_anything()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus opened = await OpenAsync(admin, federation, 100_000, lanes: 0, bodies: 0);
        using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[2]);
        var encryptor = new CodecEncryptor(new ulong[100_000]);

        var e = await Assert.ThrowsAsync<SealExportException>(() => client.ContributeSealAsync(opened.RoundId, encryptor));
        Assert.True(e.Refusal is SealExportRefusal.Lanes or SealExportRefusal.MultipleBodies, e.Refusal.ToString());
        Assert.Empty(encryptor.Keys);
    }

    private static Task<RoundStatus> OpenAsync(SecureFedAdminClient admin, TestFederation federation, int length, int lanes, int bodies) =>
        admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Scheme = Schemes.He,
            He = new HeRoundRequest
            {
                Decryptors = [.. federation.ClientIds.Take(2)],
                Threshold = 2,
                VectorLength = length,
                Bits = 32,
                InputRange = HeTestRound.InputRange,
                Lanes = lanes,
                Bodies = bodies,
            },
            StageDeadlineSeconds = 30,
        });

    // Plays the outside SEAL program with SecureFed's SEAL codec: parameters and key from the SEAL bytes it is given.
    private sealed class CodecEncryptor(ulong[] values) : ISealEncryptor
    {
        public List<SealRoundKey> Keys { get; } = [];

        public IReadOnlyList<byte[]> Encrypt(SealRoundKey key)
        {
            Keys.Add(key);
            var seal = SealEncryptionParameters.Load(key.EncryptionParameters);
            int[] bits = [.. seal.CoeffModulus.Select(p => 64 - System.Numerics.BitOperations.LeadingZeroCount(p))];
            var parameters = BfvParameters.Create(new BfvParameterOptions { Degree = seal.Degree, PrimeBits = bits, PlaintextBits = key.Bits });
            Assert.True(seal.Describes(parameters));
            var encryptor = new BfvEncryptor(SealSerializer.LoadPublicKey(parameters, key.PublicKey));
            var random = SystemRandomSource.Instance;
            return [.. Enumerable.Range(0, key.BlockCount).Select(b =>
                SealSerializer.SaveCiphertext(encryptor.Encrypt(values.AsSpan(b * key.Degree, Math.Min(key.Degree, values.Length - b * key.Degree)), random, parameters.KeyLevel - 1), SealComprMode.Zstd))];
        }
    }
}
