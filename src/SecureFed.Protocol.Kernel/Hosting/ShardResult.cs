namespace SecureFed.Protocol.Hosting;

/// <summary>
/// A shard's part of a close, once its batches are in: the messages for its own clients (masking R1 share deliveries,
/// R3 unmasking requests) and, at the close that ends the round, its partial result or why it has none.
/// </summary>
/// <param name="Shard">The shard.</param>
/// <param name="Close">The close.</param>
/// <param name="Messages">Encoded messages for the shard's clients, ascending recipient.</param>
/// <param name="Partial">The last close: one vector per configured vector, each mod 2^bits of its vector (masking: the
/// shard's masked inputs with its survivors' self masks and its survivors' pair masks with dropped clients removed).
/// HE, at the H2 close: the shard's partial ciphertext sum, its serialized bytes packed into one vector (none when the
/// shard took no upload).</param>
/// <param name="Failure">The last close: why the shard has no partial.</param>
public sealed record ShardResult(int Shard, int Close, SentMessage[] Messages, ulong[][]? Partial, ShardFailure? Failure);
