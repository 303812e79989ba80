namespace SecureFed.Protocol.Messages;

/// <summary>Which secret a revealed share belongs to (wire value in parentheses).</summary>
public enum ShareKind : byte
{
    /// <summary>(0) A share of the owner's self-mask seed b (owner survived R2).</summary>
    SelfMaskSeed = 0,

    /// <summary>(1) A share of the owner's mask private key (owner dropped before R2).</summary>
    MaskPrivateKey = 1,
}
