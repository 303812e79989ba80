namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>When in a round an adversary case is sent: the stage the round is in, and whether the attacker has sent its
/// own honest message of that stage yet (its pending message holds the stage open, so the state is still).</summary>
public enum AttackPoint
{
    /// <summary>Masking R0, before the attacker's own key advertisement and before any honest device starts.</summary>
    R0,

    /// <summary>Masking R0, after the attacker's advertisement was accepted (honest devices not started yet).</summary>
    R0AfterOwn,

    /// <summary>Masking R1: every honest device has sent its shares; the attacker's are pending.</summary>
    R1,

    /// <summary>Masking R2: every live honest device has sent its masked input; the attacker's is pending.</summary>
    R2,

    /// <summary>Masking R3: the attacker's consistency check is pending.</summary>
    R3,

    /// <summary>Masking R4: the attacker's unmasking shares are pending.</summary>
    R4,

    /// <summary>After the masking round completed.</summary>
    MaskingCompleted,

    /// <summary>HE H0 (key advertisement), before any honest device starts.</summary>
    H0,

    /// <summary>HE H2: every honest device has uploaded; the attacker's upload is pending.</summary>
    H2,

    /// <summary>After the HE round completed.</summary>
    HeCompleted,
}
