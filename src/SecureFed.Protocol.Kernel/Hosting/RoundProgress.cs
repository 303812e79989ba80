namespace SecureFed.Protocol.Hosting;

/// <summary>A running round's open stage, as a host reports and times it without knowing what the stage is.</summary>
/// <param name="Stage">The stage's index as the scheme's wire format numbers it (RoundInfo.Stage); it also picks
/// the stage's deadline from the round's list.</param>
/// <param name="Label">The stage's short name for metrics and logs (masking "0".."4", HE "H0".."H3").</param>
/// <param name="Expected">Clients expected to send in this stage.</param>
/// <param name="Received">Clients whose message for this stage was accepted.</param>
public sealed record RoundProgress(int Stage, string Label, int Expected, int Received)
{
    /// <summary>True when every expected client has sent: the host may close the stage early.</summary>
    public bool AllReceived => Received == Expected;
}
