namespace SecureFed.Client;

/// <summary>A finished contribution: the client took part in every stage and revealed its unmasking shares.</summary>
public sealed class ContributionResult(string roundId, uint clientId, IReadOnlyList<uint> survivors)
{
    /// <summary>The round.</summary>
    public string RoundId { get; } = roundId;

    /// <summary>This client's id in the round.</summary>
    public uint ClientId { get; } = clientId;

    /// <summary>The clients whose inputs are in the sum (this one among them), as the server announced and the client verified.</summary>
    public IReadOnlyList<uint> Survivors { get; } = survivors;

    /// <summary>HE rounds: the decrypted sum (mod 2^bits) the server announced to every roster client; null for masking rounds.</summary>
    public IReadOnlyList<ulong>? Sum { get; init; }

    /// <summary>
    /// HE rounds: how the server says it checked the sum against bad decryption shares (protocol-spec/he.md 10.7):
    /// <c>OverlappingSubset</c> is a weaker confirmation than <c>SecondSubset</c>, as a decryptor in both sets could
    /// have shifted both sums alike; null for masking rounds.
    /// </summary>
    public HeProtocol.Messages.HeDecryptionCheck? DecryptionCheck { get; init; }

    /// <summary>HE rounds: true when this device's upload is in the sum (false for a decryptor that did not upload).</summary>
    public bool Included { get; init; } = true;
}
