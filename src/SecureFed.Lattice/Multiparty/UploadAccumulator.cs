using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Multiparty;

/// <summary>The aggregator's running sum of client uploads (ciphertext vectors at the upload level).</summary>
public sealed class UploadAccumulator
{
    private readonly AggregationPlan _plan;
    private List<Ciphertext>? _sum;

    /// <summary>Creates an empty sum.</summary>
    public UploadAccumulator(AggregationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
    }

    /// <summary>Number of uploads added.</summary>
    public int Count { get; private set; }

    /// <summary>The current sum (one ciphertext per block).</summary>
    public IReadOnlyList<Ciphertext> Sum => _sum ?? throw new InvalidOperationException("no uploads yet");

    /// <summary>Parses and adds one upload.</summary>
    /// <exception cref="HeFormatException">The upload is malformed or has another shape than the previous ones.</exception>
    public void Add(ReadOnlySpan<byte> upload)
    {
        var blocks = CiphertextCodec.Deserialize(upload, _plan.Parameters);
        if (blocks[0].Level != _plan.UploadLevel || blocks[0].BodyCount != _plan.Options.Bodies || (_sum is not null && _sum.Count != blocks.Count))
        {
            throw new HeFormatException("upload has the wrong level or block count");
        }
        if (_sum is null)
        {
            _sum = [.. blocks];
        }
        else
        {
            for (int b = 0; b < blocks.Count; b++)
            {
                _sum[b].AddInPlace(blocks[b]);
            }
        }
        Count++;
    }
}
