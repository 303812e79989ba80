using System.Buffers.Binary;
using System.Text.Json.Nodes;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Primitives.Tests;

// Split evaluates the share polynomials with lazily reduced vector arithmetic, optionally on several threads; these
// tests pin its bytes to plain MersenneField Horner evaluation of the coefficients it drew, and to the spec vector.
public class ShamirEvaluationTests
{
    // Holder counts around the 4-wide vector blocks and the 8-holder thread ranges, plus a protocol-sized one.
    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 }, { 2, 5 }, { 4, 7 }, { 5, 8 }, { 9, 9 }, { 6, 13 }, { 16, 16 }, { 9, 17 },
        { 40, 100 }, { 64, 203 }, { 251, 500 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Shares_equal_plain_field_evaluation_for_any_degree_of_parallelism(int t, int n)
    {
        // Holder ids up to 2^32 - 1 exercise the lazy-reduction bounds; the rest are scattered.
        uint[] holders = [.. Enumerable.Range(0, n).Select(i => i % 2 == 0 ? uint.MaxValue - (uint)i : (uint)((ulong)i * 2654435761UL % uint.MaxValue) + 1)];
        Assert.Equal(n, holders.Distinct().Count());
        byte[] secret = new byte[ShamirScheme.SecretSize];
        using (var secretSource = new DeterministicRandomSource(n))
        {
            secretSource.Fill(secret);
        }
        byte[]? first = null;
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            using var inner = new DeterministicRandomSource(t * 1000 + n);
            var recording = new RecordingRandomSource(inner);
            byte[] shares = new byte[n * ShamirScheme.ShareSize];
            ShamirScheme.Split(secret, t, holders, shares, recording, threads);
            Assert.Equal(Reference(secret, t, holders, recording.Recorded), shares);
            first ??= shares;
            Assert.Equal(first, shares);
        }
    }

    [Fact]
    public void The_spec_vector_is_reproduced_with_one_and_two_threads()
    {
        JsonNode v = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "protocol-spec", "test-vectors", "secagg-shamir.json")))!;
        byte[] secret = Convert.FromHexString((string)v["secret"]!);
        int t = (int)v["threshold"]!;
        uint[] holders = [.. v["holders"]!.AsArray().Select(h => (uint)h!)];
        // The listed coefficients are all below the rejection limit, so the random stream is exactly their LE bytes.
        byte[] stream = [.. v["coefficients"]!.AsArray().SelectMany(c => BitConverter.GetBytes(ulong.Parse((string)c!)))];
        string[] expected = [.. v["shares"]!.AsArray().Select(s => (string)s!)];
        foreach (int threads in new[] { 1, 2 })
        {
            byte[] shares = new byte[holders.Length * ShamirScheme.ShareSize];
            ShamirScheme.Split(secret, t, holders, shares, new ReplaySource(stream), threads);
            string[] got = [.. Enumerable.Range(0, holders.Length).Select(i => Convert.ToHexStringLower(shares, i * ShamirScheme.ShareSize, ShamirScheme.ShareSize))];
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void A_degree_of_parallelism_below_one_is_refused()
    {
        using var rng = new DeterministicRandomSource(8);
        byte[] shares = new byte[3 * ShamirScheme.ShareSize];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ShamirScheme.Split(new byte[32], 2, [1, 2, 3], shares, rng, 0));
        Assert.Equal("maxDegreeOfParallelism", e.ParamName);
    }

    // Horner's rule with MersenneField.Mul/Add on the coefficients Split drew: each 8-byte little-endian word, rejected
    // above the largest multiple of p that fits in 64 bits (NextBelow's rule), reduced mod p; chunk by chunk.
    private static byte[] Reference(byte[] secret, int t, uint[] holders, List<byte> stream)
    {
        const ulong P = MersenneField.P;
        const ulong Limit = ulong.MaxValue - (ulong.MaxValue % P + 1) % P;
        var coefficients = new ulong[ShamirScheme.Chunks, t];
        int next = 0;
        for (int c = 0; c < ShamirScheme.Chunks; c++)
        {
            int len = c < 4 ? 7 : 4;
            byte[] chunk = new byte[8];
            Array.Copy(secret, c * 7, chunk, 0, len);
            coefficients[c, 0] = BinaryPrimitives.ReadUInt64LittleEndian(chunk);
            for (int j = 1; j < t; j++)
            {
                ulong x;
                do
                {
                    x = BinaryPrimitives.ReadUInt64LittleEndian(stream.GetRange(next, 8).ToArray());
                    next += 8;
                }
                while (x > Limit);
                coefficients[c, j] = x % P;
            }
        }
        byte[] shares = new byte[holders.Length * ShamirScheme.ShareSize];
        for (int i = 0; i < holders.Length; i++)
        {
            for (int c = 0; c < ShamirScheme.Chunks; c++)
            {
                ulong y = 0;
                for (int j = t - 1; j >= 0; j--)
                {
                    y = MersenneField.Add(MersenneField.Mul(y, holders[i]), coefficients[c, j]);
                }
                BinaryPrimitives.WriteUInt64LittleEndian(shares.AsSpan(i * ShamirScheme.ShareSize + c * 8), y);
            }
        }
        return shares;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureFed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("SecureFed.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class RecordingRandomSource(IRandomSource inner) : IRandomSource
    {
        public List<byte> Recorded { get; } = [];

        public void Fill(Span<byte> destination)
        {
            inner.Fill(destination);
            Recorded.AddRange(destination.ToArray());
        }
    }

    private sealed class ReplaySource(byte[] stream) : IRandomSource
    {
        private int _next;

        public void Fill(Span<byte> destination)
        {
            if (_next + destination.Length > stream.Length)
            {
                throw new InvalidOperationException("the vector's random stream ran out");
            }
            stream.AsSpan(_next, destination.Length).CopyTo(destination);
            _next += destination.Length;
        }
    }
}
