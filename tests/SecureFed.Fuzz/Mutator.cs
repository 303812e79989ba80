namespace SecureFed.Fuzz;

/// <summary>
/// A small deterministic mutator for the in-process runs (no AFL): bit flips, interesting bytes, MessagePack length
/// headers claiming far more than is left, truncation, insertion, deletion and splicing of two seeds.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0xC1, 0xC4, 0xC5, 0xC6, 0xCE, 0xCF, 0xD3, 0xDC, 0xDD, 0xDE, 0xDF, 0x90, 0x9F, 0x93, 0xA0];

    // Headers that promise huge arrays, maps, strings or byte strings: a decoder must check them against the bytes left.
    private static readonly byte[][] HugeHeaders =
    [
        [0xDD, 0xFF, 0xFF, 0xFF, 0xFF], [0xDD, 0x7F, 0xFF, 0xFF, 0xFF], [0xDC, 0xFF, 0xFF], [0xDF, 0x7F, 0xFF, 0xFF, 0xFF],
        [0xC6, 0x7F, 0xFF, 0xFF, 0xFF], [0xC6, 0xFF, 0xFF, 0xFF, 0xFF], [0xDB, 0x7F, 0xFF, 0xFF, 0xFF], [0xC5, 0xFF, 0xFF],
        [0xCE, 0xFF, 0xFF, 0xFF, 0xFF], [0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F],
    ];

    private readonly Random _random = new(seed);

    /// <summary>One mutation of <paramref name="input"/> (a new array); <paramref name="other"/> is used for splicing.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        var bytes = new List<byte>(input);
        int rounds = 1 + _random.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            int at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
            switch (_random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 2:
                    byte[] header = HugeHeaders[_random.Next(HugeHeaders.Length)];
                    bytes.RemoveRange(at, Math.Min(header.Length, bytes.Count - at));
                    bytes.InsertRange(at, header);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => (byte)_random.Next(256)));
                    break;
                case 5 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(1 + _random.Next(16), bytes.Count - at));
                    break;
                case 6 when other.Length > 0:
                    int from = _random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(1 + _random.Next(64)));
                    break;
                default:
                    if (bytes.Count > 1)
                    {
                        int a = _random.Next(bytes.Count), b = _random.Next(bytes.Count);
                        (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                    }
                    break;
            }
        }
        return [.. bytes];
    }
}
