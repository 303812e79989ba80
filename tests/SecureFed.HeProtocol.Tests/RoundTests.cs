using SecureFed.Protocol.Messages;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;

namespace SecureFed.HeProtocol.Tests;

public sealed class RoundTests
{
    [Fact]
    public void FullRoundWithClientDropoutsDecryptsTheSurvivorsSum()
    {
        using var f = new HeRoundFixture(clients: 5);
        var result = f.Simulate(new HeSimulationOptions { DroppedClients = new HashSet<uint> { 4, 5 } });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        Assert.Equal(new uint[] { 1, 2, 3 }, done.Result.Contributors);
        Assert.Equal(f.ExpectedSum([1, 2, 3]), done.Result.Sum);
        Assert.Equal(2, done.Attempts); // the sum and its check by a second set
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, done.Check); // 3 decryptors, t = 2: [1,2] and [1,3] share 1
        Assert.True(result.ClientBytesSent[1] > f.Parameters.UploadSize, "an upload envelope carries the whole ciphertext");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DecryptorDroppingDuringKeyGenerationIsExcludedFromTheKey(bool atAdvertise)
    {
        using var f = new HeRoundFixture();
        var dropped = new HashSet<uint> { 2 };
        var options = atAdvertise ? new HeSimulationOptions { DecryptorsDroppedAtAdvertise = dropped } : new HeSimulationOptions { DecryptorsDroppedAtKeyShares = dropped };
        var result = f.Simulate(options);
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
    }

    [Fact]
    public void DecryptorDroppingDuringDecryptionTriggersASuccessfulRetry()
    {
        using var f = new HeRoundFixture(clients: 5, decryptors: 4, threshold: 2);
        var result = f.Simulate(new HeSimulationOptions { DecryptorsDroppedAtDecrypt = new HashSet<uint> { 1 } });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        // [1,2] (1 silent), then [2,3], then the check [3,4] (2 has given its MaxDecryptionAttempts = 2 shares),
        // which shares decryptor 3 with the set that decrypted the sum.
        Assert.Equal(3, done.Attempts);
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, done.Check);
        Assert.Equal([3u], done.SharedDecryptors);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
    }

    [Fact]
    public void TooFewDecryptorsAbortsCleanly()
    {
        using var f = new HeRoundFixture();
        var keygen = f.Simulate(new HeSimulationOptions { DecryptorsDroppedAtKeyShares = new HashSet<uint> { 1, 3 } });
        var aborted = Assert.IsType<HeServerAbortedState>(keygen.Final);
        Assert.Equal(HeAbortReason.TooFewDecryptors, aborted.Reason);
        Assert.Contains("threshold", aborted.Detail, StringComparison.Ordinal);

        using var g = new HeRoundFixture();
        var decrypt = g.Simulate(new HeSimulationOptions { DecryptorsDroppedAtDecrypt = new HashSet<uint> { 1, 2 } });
        Assert.Equal(HeAbortReason.DecryptionFailed, Assert.IsType<HeServerAbortedState>(decrypt.Final).Reason);
    }

    [Fact]
    public void TooFewUploadsAbortsCleanly()
    {
        using var f = new HeRoundFixture(minimumClients: 3);
        var result = f.Simulate(new HeSimulationOptions { DroppedClients = new HashSet<uint> { 1, 2 } });
        Assert.Equal(HeAbortReason.TooFewUploads, Assert.IsType<HeServerAbortedState>(result.Final).Reason);
    }

    [Fact]
    public void ReplayingTheAcceptedMessagesRebuildsTheSameServer()
    {
        using var f = new HeRoundFixture(clients: 5, decryptors: 4, threshold: 2);
        var result = f.Simulate(new HeSimulationOptions { KeepServerLog = true, DroppedClients = new HashSet<uint> { 5 }, DecryptorsDroppedAtDecrypt = new HashSet<uint> { 2 } });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(done.Result.Sum, replayed.Result.Sum);
        Assert.Equal(done.Result.Contributors, replayed.Result.Contributors);
        Assert.Equal(done.Attempts, replayed.Attempts);

        // A prefix (up to the first upload) replays to the H2 state holding that one upload.
        int h2End = result.ServerLog.FindIndex(e => !e.IsClose && MessageCodec.Decode<HeEnvelope>(e.Envelope, int.MaxValue).Stage == HeStage.Upload) + 1;
        var partial = HeServer.Replay(f.Parameters, result.ServerLog.Take(h2End));
        Assert.Equal(HeStage.Upload, partial.Stage);
        Assert.Single(partial.Received);
        // A log entry that does not belong is refused loudly.
        Assert.Throws<HeProtocolException>(() => HeServer.Replay(f.Parameters, result.ServerLog.Take(h2End).Append(result.ServerLog[h2End - 1])));
    }
}
