namespace SecureFed.Fuzz;

/// <summary>
/// One decoder that takes outside bytes. It passes on an input when <see cref="Decode"/> returns, or throws one of
/// <see cref="DecodeExceptions"/> (the documented refusal), within <see cref="FuzzHarness.TimeLimit"/> and allocating at
/// most <see cref="AllocationBound"/> bytes for that input.
/// </summary>
/// <param name="Name">The target's name on the command line (fuzz/run.sh TARGET).</param>
/// <param name="Decoder">What is decoded, as the caller sees it.</param>
/// <param name="NetworkFacing">True for bytes that arrive over the network from devices (long runs: 10M executions).</param>
/// <param name="DecodeExceptions">The exception types that mean "refused"; empty when the decoder must never throw.</param>
/// <param name="AllocationBound">Bytes the decoder may allocate for an input of the given length.</param>
/// <param name="Decode">Runs the decoder on one input.</param>
public sealed record FuzzTarget(string Name, string Decoder, bool NetworkFacing, Type[] DecodeExceptions, Func<int, long> AllocationBound, Action<byte[]> Decode)
{
    /// <summary>The default bound: 64 bytes per input byte (an array of one-byte elements becomes objects) plus 1 MiB.</summary>
    public static long Proportional(int length) => 64L * length + (1L << 20);
}
