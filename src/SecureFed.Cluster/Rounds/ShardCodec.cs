using SecureFed.Protocol.Hosting;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The bytes of the sharded engine's values between the root and shard grains and in their logs: one codec for both,
/// so what a grain replays is exactly what it was handed. Little-endian, length-prefixed, version byte first; a
/// malformed input throws <see cref="InvalidDataException"/> (logs are written by this codec only).
/// </summary>
internal static class ShardCodec
{
    private const byte Version = 1;

    public static byte[] Reports(IReadOnlyList<ShardReport> reports) => Write(w =>
    {
        w.Write(reports.Count);
        foreach (ShardReport r in reports)
        {
            WriteReport(w, r);
        }
    });

    public static ShardReport[] ReadReports(ReadOnlyMemory<byte> bytes) => Read(bytes, r =>
    {
        var reports = new ShardReport[Count(r)];
        for (int i = 0; i < reports.Length; i++)
        {
            reports[i] = ReadReport(r);
        }
        return reports;
    });

    public static byte[] Report(ShardReport report) => Write(w => WriteReport(w, report));

    public static ShardReport ReadReport(ReadOnlyMemory<byte> bytes) => Read(bytes, ReadReport);

    public static byte[] Decision(StageDecision d) => Write(w =>
    {
        w.Write(d.Close);
        WriteIds(w, d.Members);
        WriteBytes(w, d.Broadcast);
        WriteAbort(w, d.Abort);
    });

    public static StageDecision ReadDecision(ReadOnlyMemory<byte> bytes) => Read(bytes, r =>
        new StageDecision(r.ReadInt32(), ReadIds(r), ReadBytes(r), ReadAbort(r)));

    public static byte[] Batches(IReadOnlyList<ShardBatch> batches) => Write(w =>
    {
        w.Write(batches.Count);
        foreach (ShardBatch b in batches)
        {
            WriteBatch(w, b);
        }
    });

    public static ShardBatch[] ReadBatches(ReadOnlyMemory<byte> bytes) => Read(bytes, r =>
    {
        var batches = new ShardBatch[Count(r)];
        for (int i = 0; i < batches.Length; i++)
        {
            batches[i] = ReadBatch(r);
        }
        return batches;
    });

    public static byte[] Step(ShardStep step) => Write(w =>
    {
        w.Write(step.Batches.Length);
        foreach (ShardBatch b in step.Batches)
        {
            WriteBatch(w, b);
        }
        WriteResult(w, step.Result);
    });

    public static ShardStep ReadStep(ReadOnlyMemory<byte> bytes) => Read(bytes, r =>
    {
        var batches = new ShardBatch[Count(r)];
        for (int i = 0; i < batches.Length; i++)
        {
            batches[i] = ReadBatch(r);
        }
        return new ShardStep(batches, ReadResult(r));
    });

    public static byte[] Result(ShardResult? result) => Write(w => WriteResult(w, result));

    public static ShardResult? ReadResult(ReadOnlyMemory<byte> bytes) => Read(bytes, ReadResult);

    public static byte[] Results(IReadOnlyList<ShardResult> results) => Write(w =>
    {
        w.Write(results.Count);
        foreach (ShardResult x in results)
        {
            WriteResult(w, x);
        }
    });

    public static ShardResult[] ReadResults(ReadOnlyMemory<byte> bytes) => Read(bytes, r =>
    {
        var results = new ShardResult[Count(r)];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = ReadResult(r) ?? throw new InvalidDataException("a missing shard result in a list of results");
        }
        return results;
    });

    private static void WriteReport(BinaryWriter w, ShardReport r)
    {
        w.Write(r.Shard);
        w.Write(r.Close);
        WriteIds(w, r.Contributors);
        w.Write(r.Items.Length);
        foreach (byte[] item in r.Items)
        {
            WriteBytes(w, item);
        }
    }

    private static ShardReport ReadReport(BinaryReader r)
    {
        int shard = r.ReadInt32(), close = r.ReadInt32();
        uint[] contributors = ReadIds(r);
        var items = new byte[Count(r)][];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadBytes(r);
        }
        return new ShardReport(shard, close, contributors, items);
    }

    private static void WriteBatch(BinaryWriter w, ShardBatch b)
    {
        w.Write(b.Close);
        w.Write(b.From);
        w.Write(b.To);
        w.Write(b.Items.Length);
        foreach (ShardItem item in b.Items)
        {
            w.Write(item.From);
            w.Write(item.To);
            WriteBytes(w, item.Bytes);
        }
    }

    private static ShardBatch ReadBatch(BinaryReader r)
    {
        int close = r.ReadInt32(), from = r.ReadInt32(), to = r.ReadInt32();
        var items = new ShardItem[Count(r)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = new ShardItem(r.ReadUInt32(), r.ReadUInt32(), ReadBytes(r));
        }
        return new ShardBatch(close, from, to, items);
    }

    private static void WriteResult(BinaryWriter w, ShardResult? x)
    {
        w.Write(x is not null);
        if (x is null)
        {
            return;
        }
        w.Write(x.Shard);
        w.Write(x.Close);
        w.Write(x.Messages.Length);
        foreach (SentMessage m in x.Messages)
        {
            WriteIds(w, m.Recipients);
            WriteBytes(w, m.Bytes);
        }
        w.Write(x.Partial is not null);
        if (x.Partial is not null)
        {
            w.Write(x.Partial.Length);
            foreach (ulong[] vector in x.Partial)
            {
                w.Write(vector.Length);
                foreach (ulong v in vector)
                {
                    w.Write(v);
                }
            }
        }
        w.Write(x.Failure is not null);
        if (x.Failure is not null)
        {
            w.Write(x.Failure.Client);
            WriteAbort(w, x.Failure.Abort);
        }
    }

    private static ShardResult? ReadResult(BinaryReader r)
    {
        if (!r.ReadBoolean())
        {
            return null;
        }
        int shard = r.ReadInt32(), close = r.ReadInt32();
        var messages = new SentMessage[Count(r)];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = new SentMessage(ReadIds(r), ReadBytes(r));
        }
        ulong[][]? partial = null;
        if (r.ReadBoolean())
        {
            partial = new ulong[Count(r)][];
            for (int i = 0; i < partial.Length; i++)
            {
                partial[i] = new ulong[Count(r)];
                for (int j = 0; j < partial[i].Length; j++)
                {
                    partial[i][j] = r.ReadUInt64();
                }
            }
        }
        ShardFailure? failure = r.ReadBoolean() ? new ShardFailure(r.ReadUInt32(), ReadAbort(r)!) : null;
        return new ShardResult(shard, close, messages, partial, failure);
    }

    private static void WriteAbort(BinaryWriter w, RoundAbort? a)
    {
        w.Write(a is not null);
        if (a is not null)
        {
            w.Write(a.Reason);
            w.Write(a.ReasonName);
            w.Write(a.Detail);
        }
    }

    private static RoundAbort? ReadAbort(BinaryReader r) => r.ReadBoolean() ? new RoundAbort(r.ReadInt32(), r.ReadString(), r.ReadString()) : null;

    private static void WriteIds(BinaryWriter w, IReadOnlyList<uint> ids)
    {
        w.Write(ids.Count);
        foreach (uint id in ids)
        {
            w.Write(id);
        }
    }

    private static uint[] ReadIds(BinaryReader r)
    {
        var ids = new uint[Count(r)];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = r.ReadUInt32();
        }
        return ids;
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        int length = Count(r);
        byte[] bytes = r.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new InvalidDataException("a shard value is truncated");
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        // Every count is bounded by the bytes left (each element takes at least one byte), so a corrupt count cannot
        // make the reader allocate more than the input.
        return n >= 0 && n <= r.BaseStream.Length - r.BaseStream.Position ? n : throw new InvalidDataException($"a shard value has a bad count {n}");
    }

    private static byte[] Write(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Version);
            write(w);
        }
        return stream.ToArray();
    }

    private static T Read<T>(ReadOnlyMemory<byte> bytes, Func<BinaryReader, T> read)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var r = new BinaryReader(stream);
        try
        {
            if (r.ReadByte() != Version)
            {
                throw new InvalidDataException("a shard value of an unknown version");
            }
            T value = read(r);
            return stream.Position == stream.Length ? value : throw new InvalidDataException("a shard value has trailing bytes");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("a shard value is truncated", e);
        }
    }
}
