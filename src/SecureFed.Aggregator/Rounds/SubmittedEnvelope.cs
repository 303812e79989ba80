using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Messages;

namespace SecureFed.Aggregator.Rounds;

/// <summary>The service's checks of a submitted envelope before its round's state machine sees it (both schemes).</summary>
internal static class SubmittedEnvelope
{
    /// <summary>The envelope, or null when it is larger than <paramref name="limit"/> or malformed.</summary>
    public static T? TryDecode<T>(byte[] bytes, long limit)
        where T : class
    {
        try
        {
            return MessageCodec.Decode<T>(bytes, (int)Math.Min(limit, int.MaxValue));
        }
        catch (MalformedMessageException)
        {
            return null; // the state machine refuses it with the precise reason
        }
    }

    /// <summary>Refuses (403 sender-mismatch) an envelope naming another client than the one that signed the request.</summary>
    public static void EnsureSender(uint envelopeSender, uint clientId)
    {
        if (envelopeSender != clientId)
        {
            throw new AggregatorProblemException(403, "sender-mismatch", $"the envelope names client {envelopeSender} but the request is signed by client {clientId}");
        }
    }
}
