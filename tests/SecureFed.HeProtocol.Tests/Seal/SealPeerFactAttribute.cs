using SecureFed.Testing;

namespace SecureFed.HeProtocol.Tests.Seal;

/// <summary>A fact that runs Microsoft SEAL (node-seal, tools/seal-interop): skipped, with the reason, where it is not installed.</summary>
public sealed class SealPeerFactAttribute : FactAttribute
{
    public SealPeerFactAttribute()
    {
        if (SealPeer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
