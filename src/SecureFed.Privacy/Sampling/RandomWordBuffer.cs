using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Privacy.Sampling;

/// <summary>
/// Buffers random 64-bit words from an <see cref="IRandomSource"/> and turns them into exact uniform integers and
/// bits. One <c>Fill</c> call per 4 KiB instead of one per draw is what makes a million exact samples cheap.
/// Integer arithmetic only. The buffer holds secret randomness, so it is zeroed on dispose.
/// </summary>
internal sealed class RandomWordBuffer : IDisposable
{
    // 512 words = 4 KiB: one AES-CTR or OS-RNG call amortised over hundreds of draws, still L1-resident.
    private const int Words = 512;

    private readonly IRandomSource _source;
    private readonly ulong[] _words = new ulong[Words];
    private int _next = Words;
    private ulong _bits;
    private int _bitsLeft;

    public RandomWordBuffer(IRandomSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>A uniform 64-bit word.</summary>
    public ulong NextUInt64()
    {
        if (_next == Words)
        {
            _source.Fill(MemoryMarshal.AsBytes(_words.AsSpan()));
            _next = 0;
        }
        return _words[_next++];
    }

    /// <summary>A uniform bit.</summary>
    public bool NextBit()
    {
        if (_bitsLeft == 0)
        {
            _bits = NextUInt64();
            _bitsLeft = 64;
        }
        bool b = (_bits & 1) != 0;
        _bits >>= 1;
        _bitsLeft--;
        return b;
    }

    /// <summary>
    /// A uniform integer in [0, bound) (Lemire's multiply-and-reject: exact, no modulo bias, usually no division).
    /// </summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        }
        ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            // Reject the 2^64 mod bound low products that would make some results more likely.
            ulong threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }
        return high;
    }

    /// <summary>A uniform integer in [0, bound) for 128-bit bounds (mask-and-reject).</summary>
    public UInt128 NextBelow(UInt128 bound)
    {
        if (bound == UInt128.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        }
        if (bound <= ulong.MaxValue)
        {
            return NextBelow((ulong)bound);
        }
        // bound > 2^64: draw bitlength(bound - 1) bits and reject values >= bound (acceptance > 1/2).
        int bits = 128 - (int)UInt128.LeadingZeroCount(bound - 1);
        UInt128 mask = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        while (true)
        {
            UInt128 x = new UInt128(NextUInt64(), NextUInt64()) & mask;
            if (x < bound)
            {
                return x;
            }
        }
    }

    /// <summary>Bernoulli(numerator / denominator), exactly; requires numerator &lt;= denominator.</summary>
    public bool Bernoulli(ulong numerator, ulong denominator) => NextBelow(denominator) < numerator;

    /// <summary>Bernoulli(numerator / denominator) for 128-bit rationals, exactly.</summary>
    public bool Bernoulli(UInt128 numerator, UInt128 denominator) => NextBelow(denominator) < numerator;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_words.AsSpan()));
        _bits = 0;
        _bitsLeft = 0;
        _next = Words;
    }
}
