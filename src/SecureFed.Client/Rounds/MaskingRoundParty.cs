using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>A device's side of a masking round (secagg.md): the client state machine, one envelope per stage.</summary>
internal sealed class MaskingRoundParty(string roundId, RoundParameters parameters, uint clientId, IdentityKeyPair identity, ulong[][] update,
    IRandomSource random) : IRoundParty
{
    private ClientState? _state;
    private IReadOnlyList<uint> _survivors = [];

    // The party's copy of the update, until the client has masked (and wiped) it.
    private ulong[][]? _update = update;

    public ServerDelivery Delivery => ServerDelivery.OnePerStage;

    public int StageCount => Enum.GetValues<ProtocolStage>().Length;

    public uint ClientId => clientId;

    // The round's validated configuration, shared with the process's other devices of the round (tests look at it).
    internal RoundParameters Parameters => parameters;

    public IReadOnlyList<PartyEnvelope> Begin(RoundInfo info)
    {
        RoundPhase phase = WireNames.ParsePhase(info.Status);
        if (phase != RoundPhase.Running || info.Stage != 0)
        {
            throw phase == RoundPhase.Aborted
                ? new RoundAbortedException(roundId, AbortReason.ServerAborted, "the round was aborted before this client joined")
                : new DroppedFromRoundException(roundId, 0, $"the round is past key advertisement ({info.Status}, stage {info.Stage})");
        }
        ClientTransition t = SecAggClient.Start(parameters, clientId, identity, _update!, random);
        _state = t.Next;
        return Outgoing(t, 0);
    }

    public PartyStep Receive(int close, IReadOnlyList<byte[]> messages)
    {
        byte[] message = messages.Single();
        if (close == (int)ProtocolStage.MaskedInputCollection)
        {
            _survivors = TrySurvivors(parameters, message, _survivors);
        }
        ClientTransition t = _state!.HandleBytes(message);
        _state = t.Next;
        if (_state is not (ClientR0AdvertiseKeysState or ClientR1ShareKeysState))
        {
            ReleaseUpdate(); // past masking the client wiped the input: the rest of the round need not hold its arrays
        }
        if (_state is ClientAbortedState aborted)
        {
            throw new RoundAbortedException(roundId, aborted.Reason, aborted.Detail);
        }
        return new PartyStep(Outgoing(t, close + 1), _state is ClientCompletedState ? new ContributionResult(roundId, clientId, _survivors) : null);
    }

    public bool GiveUp(PartyEnvelope envelope) => false;

    public void Dispose() => ReleaseUpdate();

    private void ReleaseUpdate()
    {
        foreach (ulong[] v in _update ?? [])
        {
            Array.Clear(v);
        }
        _update = null;
    }

    private static List<PartyEnvelope> Outgoing(ClientTransition t, int stage) =>
        t.Outgoing is { } e ? [new PartyEnvelope(stage, MessageCodec.Encode(e))] : [];

    private static IReadOnlyList<uint> TrySurvivors(RoundParameters parameters, byte[] message, IReadOnlyList<uint> fallback)
    {
        try
        {
            return MessageCodec.DecodeServerMessage(message, message.Length) is SurvivorSet s
                ? RosterBitmap.TryDecode(parameters, s.Survivors ?? []) ?? fallback // a bad bitmap aborts the state machine
                : fallback;
        }
        catch (MalformedMessageException)
        {
            return fallback; // the state machine reports it
        }
    }
}
