namespace SecureFed.Protocol.Hosting;

/// <summary>One encoded server message and the client ids it goes to, ascending (a broadcast when several).</summary>
/// <param name="Recipients">Client ids, ascending.</param>
/// <param name="Bytes">The message's exact wire encoding (what a client's poll returns).</param>
public sealed record SentMessage(IReadOnlyList<uint> Recipients, byte[] Bytes);
