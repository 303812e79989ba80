namespace SecureFed.Protocol.Hosting;

/// <summary>
/// The root's decision to close a stage, which every shard applies: the set the stage closed with (masking U1..U5),
/// what every shard needs to go on (masking R0: the encoded key directory), or the abort that ends the round.
/// </summary>
/// <param name="Close">The close index (masking: the stage index).</param>
/// <param name="Members">The clients the stage closed with, ascending (empty when <paramref name="Abort"/> is set).</param>
/// <param name="Broadcast">Scheme data for every shard (masking R0: the accepted R0 envelopes, ascending, from which each shard builds its clients' key directories); empty otherwise.</param>
/// <param name="Abort">Set when the round ends here without a result.</param>
public sealed record StageDecision(int Close, uint[] Members, byte[] Broadcast, RoundAbort? Abort);
