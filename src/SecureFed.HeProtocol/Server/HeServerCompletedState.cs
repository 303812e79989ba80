using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>Terminal: the sum was decrypted.</summary>
public sealed class HeServerCompletedState : HeServerState
{
    internal HeServerCompletedState(HeRoundParameters parameters, HeRoundResult result, int attempts, IReadOnlyList<HeDecryptorExclusion> exclusions, IReadOnlyList<uint> sharedDecryptors)
        : base(parameters)
    {
        SharedDecryptors = sharedDecryptors;
        Result = result;
        Attempts = attempts;
        Exclusions = exclusions;
    }

    /// <summary>The sum and its contributors (what was broadcast).</summary>
    public HeRoundResult Result { get; }

    /// <summary>How the sum was checked (also in <see cref="Result"/>).</summary>
    public HeDecryptionCheck Check => Result.Check;

    /// <summary>
    /// Decryptors left out of the decryption, with a typed reason: the outvoted ones (those the result message lists
    /// as <see cref="HeRoundResult.ExcludedDecryptors"/>) first, then those that did not answer.
    /// </summary>
    public IReadOnlyList<HeDecryptorExclusion> Exclusions { get; }

    /// <summary>
    /// With <see cref="HeDecryptionCheck.OverlappingSubset"/>: the decryptors (client ids, ascending) in both the set
    /// that decrypted the sum and the set that confirmed it, whose shares the check could not test; empty otherwise.
    /// Not on the wire: a replay of the log recomputes it.
    /// </summary>
    public IReadOnlyList<uint> SharedDecryptors { get; }

    /// <summary>Decryption attempts used (2 or more when a participant did not answer or the sum was checked).</summary>
    public int Attempts { get; }

    /// <inheritdoc />
    public override string Name => "completed";

    /// <inheritdoc />
    public override HeStage? Stage => null;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => [];

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => [];

    /// <inheritdoc />
    public override HeServerTransition CloseStage() => new(this);

    private protected override MessageRejection? Accept(HeEnvelope envelope) => new(RejectionReason.RoundClosed, "the round is complete");
}
