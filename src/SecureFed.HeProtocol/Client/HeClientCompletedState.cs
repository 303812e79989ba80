using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>Client, terminal: the round's sum and whether this client's upload is in it.</summary>
public sealed class HeClientCompletedState
{
    internal HeClientCompletedState(HeRoundResult result, bool included)
    {
        Result = result;
        Included = included;
    }

    /// <summary>The sum and contributors the server announced.</summary>
    public HeRoundResult Result { get; }

    /// <summary>True when this client is among the contributors.</summary>
    public bool Included { get; }
}
