namespace SecureFed.Protocol.Hosting;

/// <summary>What a completed round produced, in the terms both schemes share.</summary>
/// <param name="Sums">One sum per vector (HE: one), each element mod 2^bits of its vector.</param>
/// <param name="Survivors">Clients whose inputs are in the sums, ascending.</param>
/// <param name="Dropped">Clients that took part but whose inputs are not in the sums, ascending.</param>
/// <param name="Attempts">HE rounds: decryption attempts used; null for masking rounds.</param>
public sealed record RoundResult(IReadOnlyList<ulong[]> Sums, IReadOnlyList<uint> Survivors, IReadOnlyList<uint> Dropped, int? Attempts);
