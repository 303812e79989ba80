namespace SecureFed.Protocol.Hosting;

/// <summary>
/// What one shard tells the root when the open stage is to close: which of its clients sent the stage's message and,
/// where the root assembles a broadcast from them, the accepted messages themselves. Reading it changes nothing.
/// </summary>
/// <param name="Shard">The shard's number, 0..S-1.</param>
/// <param name="Close">The close this report is for (masking: the stage index; HE: the close index).</param>
/// <param name="Contributors">The shard's clients whose message for the stage was accepted, ascending.</param>
/// <param name="Items">Scheme data the root needs, one entry per contributor in the same order (masking R0: the accepted
/// envelope bytes, which the root's key directory is made of; HE H0, H1, H3: the accepted envelope bytes, which the
/// root's states take again; HE H2: each upload's encoded opening); empty otherwise.</param>
public sealed record ShardReport(int Shard, int Close, uint[] Contributors, byte[][] Items);
