using System.Buffers.Binary;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// The broadcast of a close that opens an H3 attempt (<see cref="Protocol.Hosting.StageDecision.Broadcast"/>): what
/// every shard needs to check its decryptors' shares. Between the silos of one cluster only, never on the wire:
/// the attempt (4 bytes) then the participants' decryptor indices (4 bytes each), little-endian.
/// </summary>
internal static class HeShardBroadcast
{
    public static byte[] Attempt(int attempt, int[] participants)
    {
        var bytes = new byte[4 + 4 * participants.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, attempt);
        for (int i = 0; i < participants.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 + 4 * i), participants[i]);
        }
        return bytes;
    }

    /// <exception cref="InvalidOperationException">The bytes are not an attempt's broadcast.</exception>
    public static (int Attempt, int[] Participants) ReadAttempt(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || bytes.Length % 4 != 0)
        {
            throw new InvalidOperationException($"an H3 attempt's broadcast of {bytes.Length} bytes");
        }
        var participants = new int[bytes.Length / 4 - 1];
        for (int i = 0; i < participants.Length; i++)
        {
            participants[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 + 4 * i)..]);
        }
        return (BinaryPrimitives.ReadInt32LittleEndian(bytes), participants);
    }
}
