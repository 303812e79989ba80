using SecureFed.Primitives.Signatures;

namespace SecureFed.Aggregator.Http;

/// <summary>A client request whose signature, timestamp and nonce checked out, with its body.</summary>
internal sealed record AuthenticatedRequest(IdentityPublicKey Key, string KeyHex, byte[] Body);
