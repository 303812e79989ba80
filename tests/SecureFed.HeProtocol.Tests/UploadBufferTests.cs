using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Tests;

public sealed class UploadBufferTests
{
    // 64 ciphertexts at N = 4096 (one value per coefficient, one body): the upload and the update's copy are each
    // several times the key material a round verifies, so an upload-sized allocation cannot hide under the bound.
    private const int Length = 4096 * 64;

    [Fact]
    public void KeptBufferSendsTheSameEnvelopeAsAFreshUpload()
    {
        using var f = new HeRoundFixture(length: 5000);
        var announcement = Announce(f);
        using var freshRandom = new DeterministicRandomSource(99);
        using var keptRandom = new DeterministicRandomSource(99);
        using var buffer = new HeUploadBuffer(f.Parameters);
        var fresh = HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], freshRandom).Accept(announcement);
        var kept = HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], keptRandom, buffer).Accept(announcement);
        Assert.Equal(MessageCodec.Encode(fresh.Outgoing!), MessageCodec.Encode(kept.Outgoing!));
        // The body is the buffer's memory, written in place: no copy of the upload was made for it.
        Assert.Same(kept.Outgoing!.Body, buffer.Body);
        Assert.Equal(f.Parameters.UploadSize, MessageCodec.Decode<ClientUpload>(kept.Outgoing.Body, int.MaxValue).Upload.Length);
        kept.Next.Dispose();
    }

    [Fact]
    public void OneRoundHoldsTheBufferUntilItEndsAndTheUpdateCopyIsWiped()
    {
        using var f = new HeRoundFixture(length: 5000);
        var announcement = Announce(f);
        using var buffer = new HeUploadBuffer(f.Parameters);
        var awaiting = HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random, buffer);
        Assert.True(buffer.InUse);
        Assert.Equal(f.Inputs[4], buffer.Values);
        // A second round cannot take it while the first may still be sending from it; the first is untouched.
        Assert.Throws<InvalidOperationException>(() => HeClient.Start(f.Parameters, f.Identity(3), 3, f.Inputs[3], f.Random, buffer));
        Assert.Equal(f.Inputs[4], buffer.Values);
        var step = awaiting.Accept(announcement);
        Assert.True(buffer.InUse);
        Assert.All(buffer.Values, v => Assert.Equal(0UL, v));
        // Disposing the spent await-key state later must not touch the buffer the next state holds.
        awaiting.Dispose();
        Assert.True(buffer.InUse);
        var done = step.Next.Handle(new HeRoundResult { Contributors = [4] });
        Assert.IsType<HeClientCompletedState>(done.Next);
        Assert.False(buffer.InUse);

        // An aborted round and a disposed state give it back too, with the update wiped.
        var tampered = announcement.Advertisements.Select(e => new HeEnvelope { SenderId = e.SenderId, Stage = e.Stage, Body = e.Body, Signature = [.. e.Signature] }).ToArray();
        tampered[0].Signature[0] ^= 1;
        HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random, buffer).Refuse(new CollectiveKeyAnnouncement { Advertisements = tampered });
        Assert.False(buffer.InUse);
        Assert.All(buffer.Values, v => Assert.Equal(0UL, v));
        HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random, buffer).Dispose();
        Assert.False(buffer.InUse);
        Assert.All(buffer.Values, v => Assert.Equal(0UL, v));

        // A round of another shape is refused, leaving the buffer free; a disposed buffer is refused.
        using var other = new HeRoundFixture(length: 6000);
        Assert.Throws<ArgumentException>(() => HeClient.Start(other.Parameters, other.Identity(4), 4, other.Inputs[4], other.Random, buffer));
        Assert.False(buffer.InUse);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random, buffer));
    }

    [Fact]
    public void LaterRoundsAllocateOnlyTheKeyWorkNotTheUploadOrTheUpdate()
    {
        // Three rounds of one device, each with its own round id and collective key; the third is measured (the first
        // two warm up every path). Allocations are counted on this thread only, so the figure is exact.
        var rounds = Enumerable.Range(0, 3).Select(r => new HeRoundFixture(length: Length, roundTag: (byte)(16 * r + 1))).ToArray();
        try
        {
            var announcements = rounds.Select(Announce).ToArray();
            var p = rounds[0].Parameters;
            using var buffer = new HeUploadBuffer(p);
            long kept = 0, fresh = 0;
            for (int r = 0; r < rounds.Length; r++)
            {
                kept = Allocated(rounds[r], announcements[r], buffer);
                fresh = Allocated(rounds[r], announcements[r], null);
            }
            // What a round must allocate whatever the vector length: the key's verification and the encryptor made
            // for it. K is one key-level polynomial per body; each of D decryptors' shares is decoded (packed, under K)
            // and unpacked (K); the sum, a, their Shoup quotients, the encryptor's scratch and u in NTT form are each
            // at most K. Signatures, hashes and small objects stay under 64 KB.
            var bfv = p.Plan.Parameters;
            long k = (long)p.Plan.Options.Bodies * bfv.KeyLevel * bfv.Degree * sizeof(ulong);
            long bound = (2 * p.DecryptorIds.Count + 8) * k + 64 * 1024;
            long update = (long)Length * sizeof(ulong);
            // The bound is below the update's copy and the upload, so it leaves no room for either.
            Assert.True(bound < update && bound < p.UploadSize, $"bound {bound}, update {update}, upload {p.UploadSize}");
            Assert.True(kept < bound, $"a later round with the kept buffer allocated {kept} bytes; the key work is bounded by {bound} (upload {p.UploadSize})");
            // Without the buffer the same round allocates the update's copy, the upload and the body around it.
            Assert.True(fresh - kept >= update + 2 * p.UploadSize, $"fresh {fresh}, kept {kept}, update {update}, upload {p.UploadSize}");
        }
        finally
        {
            foreach (var f in rounds)
            {
                f.Dispose();
            }
        }
    }

    private static long Allocated(HeRoundFixture f, CollectiveKeyAnnouncement announcement, HeUploadBuffer? buffer)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var start = buffer is null
            ? HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random)
            : HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random, buffer);
        var step = start.Handle(announcement);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsType<HeClientUploadedState>(step.Next);
        step.Next.Dispose();
        return allocated;
    }

    // Every decryptor's signed H0 advertisement, as the server forwards them.
    private static CollectiveKeyAnnouncement Announce(HeRoundFixture f)
    {
        var adverts = f.Parameters.DecryptorIds.Select(id =>
        {
            var step = HeDecryptor.Start(f.Parameters, f.Identity(id), id, f.Random).Advertise();
            step.Next.Dispose();
            return step.Outgoing!;
        }).ToArray();
        return new CollectiveKeyAnnouncement { Advertisements = adverts };
    }
}
