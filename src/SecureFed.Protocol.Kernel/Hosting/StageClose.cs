namespace SecureFed.Protocol.Hosting;

/// <summary>
/// The event of closing a stage (or of the host aborting the round): the messages it sends, in the order the state
/// machine produced them, and, when the round ended, how.
/// </summary>
public sealed record StageClose(IReadOnlyList<SentMessage> Sent, RoundEnd? End);
