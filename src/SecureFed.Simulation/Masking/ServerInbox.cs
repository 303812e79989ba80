using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Simulation;

// The messages of one stage close, by recipient, encoded on demand: a message's bytes are made when its first recipient
// takes them and dropped with its last, so a stage holds the bytes of the clients in flight, not of every client. With
// an observer, every message is encoded and observed up front, in the server's order (a transcript needs that order).
internal sealed class ServerInbox
{
    private readonly Dictionary<uint, int> _slotOf = [];
    private readonly Delivery?[] _slots;
    private long _bytesSent;

    public ServerInbox(IReadOnlyList<OutgoingMessage> outgoing, IWireObserver? observer)
    {
        var byRecipient = new SortedDictionary<uint, Delivery>();
        foreach (OutgoingMessage m in outgoing)
        {
            var delivery = new Delivery(m.Message);
            if (observer is not null)
            {
                byte[] bytes = delivery.Bytes;
                foreach (uint r in m.Recipients)
                {
                    observer.ServerToClient(r, bytes);
                }
            }
            foreach (uint r in m.Recipients)
            {
                byRecipient[r] = delivery; // the last message for a recipient is the one it gets
            }
        }
        Recipients = [.. byRecipient.Keys];
        _slots = [.. byRecipient.Values];
        for (int i = 0; i < Recipients.Count; i++)
        {
            _slotOf.Add(Recipients[i], i);
        }
    }

    // Every recipient, ascending.
    public IReadOnlyList<uint> Recipients { get; }

    // The recipient's bytes (encoded now if no earlier recipient of the same message took them); each recipient takes
    // once. Thread-safe.
    public byte[] Take(uint recipient)
    {
        int slot = _slotOf[recipient];
        Delivery delivery = Interlocked.Exchange(ref _slots[slot], null) ?? throw new InvalidOperationException($"client {recipient} already took its message");
        byte[] bytes = delivery.Bytes;
        Interlocked.Add(ref _bytesSent, bytes.Length);
        return bytes;
    }

    // Bytes the server sent this stage: every recipient's message, taken or not (a client that dropped still got it).
    public long BytesSent()
    {
        long untaken = 0;
        foreach (Delivery? d in _slots)
        {
            untaken += d?.Bytes.Length ?? 0;
        }
        return Interlocked.Read(ref _bytesSent) + untaken;
    }

    private sealed class Delivery(ServerMessage message)
    {
        private readonly Lazy<byte[]> _bytes = new(() => MessageCodec.EncodeServerMessage(message), LazyThreadSafetyMode.ExecutionAndPublication);

        public byte[] Bytes => _bytes.Value;
    }
}
