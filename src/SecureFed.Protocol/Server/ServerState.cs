using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// One state of the server's round (one sealed subclass per protocol round), a view of the one round engine (a
/// <see cref="Hosting.IRoundRoot"/> over one <see cref="Hosting.IRoundShard"/>, the composition every host runs).
/// <see cref="HandleBytes"/> records one client message or refuses it with a typed <see cref="MessageRejection"/> leaving
/// the state untouched; <see cref="CloseStage"/> ends the stage (all expected messages arrived, or the deadline passed)
/// and returns the next state and the messages to send. No I/O, no clock: the host decides when to close. Only the
/// latest state of a round is live: an earlier one refuses messages and cannot close.
/// </summary>
public abstract class ServerState
{
    private readonly int _closes;

    private protected ServerState(LocalSecAggRound round)
    {
        Round = round;
        _closes = round.Closes;
    }

    internal ServerContext Context => Round.Root.Context;

    private protected LocalSecAggRound Round { get; }

    /// <summary>Name of the state, for logs and progress.</summary>
    public abstract string Name { get; }

    /// <summary>The stage whose messages this state collects, or null in a terminal state.</summary>
    public abstract ProtocolStage? Stage { get; }

    /// <summary>True for <see cref="ServerCompletedState"/> and <see cref="ServerAbortedState"/>.</summary>
    public bool IsTerminal => Stage is null;

    /// <summary>Clients whose message for this stage was accepted.</summary>
    public IReadOnlyCollection<uint> Received => Live ? Round.Shard.ReceivedIds : [];

    private bool Live => !IsTerminal && _closes == Round.Closes;

    /// <summary>Decodes and handles an envelope, enforcing the stage's size limit before parsing, then checks sender, stage,
    /// duplicates and signature and the stage's own rules.</summary>
    public ServerTransition HandleBytes(ReadOnlyMemory<byte> bytes) =>
        Refusal() is { } refused ? refused : new ServerTransition(this, null, Round.Shard.Handle(bytes));

    /// <summary>Ends the stage and moves on (or aborts when fewer than t clients took part); a terminal state stays.</summary>
    /// <exception cref="InvalidOperationException">A later state of the round exists (this one is stale).</exception>
    public ServerTransition CloseStage()
    {
        if (IsTerminal)
        {
            return new ServerTransition(this);
        }
        if (!Live)
        {
            throw new InvalidOperationException($"{Name} is no longer the round's state");
        }
        List<OutgoingMessage> outgoing = Round.Close();
        return new ServerTransition(Round.State(), outgoing);
    }

    private ServerTransition? Refusal()
    {
        if (IsTerminal)
        {
            return new ServerTransition(this, null, new MessageRejection(RejectionReason.RoundClosed, $"the round is over ({Name})"));
        }
        return Live ? null : new ServerTransition(this, null, new MessageRejection(RejectionReason.WrongStage, $"{Name} is no longer the round's state"));
    }

    /// <inheritdoc />
    public override string ToString() => $"server: {Name}";
}
