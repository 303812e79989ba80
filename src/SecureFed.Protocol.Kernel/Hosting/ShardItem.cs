namespace SecureFed.Protocol.Hosting;

/// <summary>One routed piece of a close: from a client of the sending shard, about or for a client of the receiving one.</summary>
/// <param name="From">The client it comes from (masking: a share bundle's or tag's sender, a revealed share's holder).</param>
/// <param name="To">The client it is for (the bundle's or tag's recipient, the share's owner).</param>
/// <param name="Bytes">The item (a 104-byte bundle ciphertext, a 32-byte tag, a 40-byte Shamir share).</param>
public sealed record ShardItem(uint From, uint To, byte[] Bytes);
