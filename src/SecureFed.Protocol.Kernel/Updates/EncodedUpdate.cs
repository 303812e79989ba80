namespace SecureFed.Protocol.Updates;

/// <summary>One client's float update encoded for a round, with what happened on the way.</summary>
/// <param name="Vectors">The round's input vectors: the weighted update (ring elements mod 2^Bits), then [weight units].</param>
/// <param name="Clipped">True when the update's L2 norm exceeded the clip norm and it was scaled down to it.</param>
/// <param name="OriginalNorm">The update's L2 norm before clipping.</param>
/// <param name="Weight">The weight actually applied (a multiple of 2^-16).</param>
public sealed record EncodedUpdate(ulong[][] Vectors, bool Clipped, double OriginalNorm, double Weight);
