namespace SecureFed.Protocol.Planning;

/// <summary>What the server may do, in the sense of Bell et al. (CCS 2020).</summary>
public enum AdversaryModel
{
    /// <summary>The server follows the protocol but colludes with up to a fraction gamma of clients.</summary>
    HonestButCurious = 0,

    /// <summary>The server may also lie about which clients dropped out (semi-malicious).</summary>
    SemiMalicious = 1,
}
