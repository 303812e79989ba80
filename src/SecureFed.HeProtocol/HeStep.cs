using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol;

/// <summary>A party's step: the signed envelope to send to the server and the party's next state.</summary>
public sealed record HeStep<TNext>(HeEnvelope Envelope, TNext Next);
