namespace SecureFed.HeProtocol.Simulation;

/// <summary>One serialized server message of a simulated round and its recipients.</summary>
public sealed record HeSentMessage(string Type, IReadOnlyList<uint> Recipients, byte[] Bytes);
