namespace SecureFed.Protocol.Hosting;

/// <summary>A shard could not finish its part of the last close (masking R4: a secret of <paramref name="Client"/>
/// could not be rebuilt); the root aborts with the failure of the lowest client id, as the unsharded server would.</summary>
/// <param name="Client">The client whose secret failed.</param>
/// <param name="Abort">The abort it causes.</param>
public sealed record ShardFailure(uint Client, RoundAbort Abort);
