using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;

namespace SecureFed.HeProtocol.Tests;

/// <summary>Bad decryption shares are detected and never published (protocol-spec/he.md section 10.7).</summary>
public sealed class DecryptionCheckTests
{
    [Fact]
    public void ASecondLeastOverlappingSetConfirmsAnHonestSum()
    {
        using var f = new HeRoundFixture(clients: 4, decryptors: 4, threshold: 2);
        var result = f.Simulate(new HeSimulationOptions { KeepServerLog = true });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.SecondSubset, done.Result.Check);
        Assert.Empty(done.Result.ExcludedDecryptors);
        Assert.Empty(done.Exclusions);
        Assert.Equal(2, done.Attempts);
        var requests = result.ServerMessages.Where(m => m.Type == nameof(DecryptionRequestMessage)).ToList();
        Assert.Equal([1u, 2u], requests[0].Recipients);
        Assert.Equal([3u, 4u], requests[1].Recipients); // disjoint from the first set
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(HeDecryptionCheck.SecondSubset, replayed.Check);
    }

    [Fact]
    public void WithExactlyThresholdDecryptorsTheSumIsMarkedUnverified()
    {
        using var f = new HeRoundFixture(clients: 3, decryptors: 2, threshold: 2);
        var done = Assert.IsType<HeServerCompletedState>(f.Simulate().Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.Unverified, done.Result.Check);
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public void ABadShareIsOutvotedExcludedAndNeverPublished()
    {
        // Sets [1,2] and [3,4] disagree; [5,6] (in neither) agrees with [3,4]: the decryptors only in [1,2] are excluded.
        using var f = new HeRoundFixture(clients: 6, decryptors: 6, threshold: 2);
        var result = f.Simulate(new HeSimulationOptions { DecryptorsSendingBadShares = new HashSet<uint> { 1 }, KeepServerLog = true });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.Elimination, done.Result.Check);
        Assert.Equal([1u, 2u], done.Result.ExcludedDecryptors);
        Assert.Equal([new HeDecryptorExclusion(1, HeExclusionReason.OutvotedShare), new HeDecryptorExclusion(2, HeExclusionReason.OutvotedShare)], done.Exclusions);
        Assert.Equal(3, done.Attempts);
        Assert.Single(result.ServerMessages, m => m.Type == nameof(HeRoundResult));
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(done.Result.ExcludedDecryptors, replayed.Result.ExcludedDecryptors);
    }

    [Fact]
    public void ASilentDecryptorIsExcludedAsUnresponsiveAndTheRetriedSumIsStillChecked()
    {
        // [1,2] with 2 silent; the retry [1,3] decrypts, and [3,4] (1 has used its two answers) checks it.
        using var f = new HeRoundFixture(clients: 4, decryptors: 4, threshold: 2);
        var done = Assert.IsType<HeServerCompletedState>(f.Simulate(new HeSimulationOptions { DecryptorsDroppedAtDecrypt = new HashSet<uint> { 2 } }).Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.SecondSubset, done.Result.Check);
        Assert.Empty(done.Result.ExcludedDecryptors); // the wire lists only outvoted decryptors
        Assert.Equal([new HeDecryptorExclusion(2, HeExclusionReason.Unresponsive)], done.Exclusions);
        Assert.Equal(3, done.Attempts);
    }

    [Fact]
    public void ABadShareInTheCheckSetIsOutvotedToo()
    {
        using var f = new HeRoundFixture(clients: 6, decryptors: 6, threshold: 2);
        var done = Assert.IsType<HeServerCompletedState>(f.Simulate(new HeSimulationOptions { DecryptorsSendingBadShares = new HashSet<uint> { 4 } }).Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal([3u, 4u], done.Result.ExcludedDecryptors);
    }

    [Fact]
    public void DisagreementWithoutADecidingSetAbortsWithoutPublishing()
    {
        using var f = new HeRoundFixture(clients: 4, decryptors: 4, threshold: 2);
        var result = f.Simulate(new HeSimulationOptions { DecryptorsSendingBadShares = new HashSet<uint> { 2 }, KeepServerLog = true });
        var aborted = Assert.IsType<HeServerAbortedState>(result.Final);
        Assert.Equal(HeAbortReason.SharesDisagree, aborted.Reason);
        Assert.DoesNotContain(result.ServerMessages, m => m.Type == nameof(HeRoundResult));
    }
}
