using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

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
        var requests = result.ServerMessages.Where(m => Decoded(m) is DecryptionRequestMessage).ToList();
        Assert.Equal([1u, 2u], requests[0].Recipients);
        Assert.Equal([3u, 4u], requests[1].Recipients); // disjoint from the first set
        Assert.Empty(done.SharedDecryptors);
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(HeDecryptionCheck.SecondSubset, replayed.Check);
    }

    [Fact]
    public void ABadDecryptorInBothSetsIsNotReportedAsADisjointConfirmation()
    {
        // 5 decryptors, t = 3: A = [1,2,3], B = [4,5] then A's first, [1,4,5]. Decryptor 1 is in both and shifts both
        // sums alike, so they agree on a wrong sum (the limit of he.md 10.7); the label must say the sets overlapped.
        using var f = new HeRoundFixture(clients: 5, decryptors: 5, threshold: 3);
        var result = f.Simulate(new HeSimulationOptions { DecryptorsSendingBadShares = new HashSet<uint> { 1 }, KeepServerLog = true });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        var requests = result.ServerMessages.Where(m => Decoded(m) is DecryptionRequestMessage).ToList();
        Assert.Equal([1u, 2u, 3u], requests[0].Recipients);
        Assert.Equal([1u, 4u, 5u], requests[1].Recipients);
        Assert.NotEqual(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum); // the check cannot catch a shared decryptor
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, done.Result.Check);
        Assert.Equal([1u], done.SharedDecryptors);
        Assert.Empty(done.Result.ExcludedDecryptors);
        Assert.Single(result.ServerMessages, m => Decoded(m) is HeRoundResult);
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, replayed.Check);
        Assert.Equal([1u], replayed.SharedDecryptors);
    }

    [Fact]
    public void AnHonestSumConfirmedByAnOverlappingSetIsLabelledOverlapping()
    {
        using var f = new HeRoundFixture(clients: 5, decryptors: 5, threshold: 3);
        var done = Assert.IsType<HeServerCompletedState>(f.Simulate().Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, done.Check);
        Assert.Equal([1u], done.SharedDecryptors);
    }

    [Fact]
    public void WithTwiceThresholdDecryptorsABadShareIsCaughtAndAnHonestSumIsASecondSubset()
    {
        // 6 decryptors, t = 3: A = [1,2,3] and B = [4,5,6] are disjoint, so the same bad decryptor cannot agree with
        // itself: with no deciding set (none is in both or neither) the round aborts rather than publish.
        using var f = new HeRoundFixture(clients: 6, decryptors: 6, threshold: 3);
        var honest = Assert.IsType<HeServerCompletedState>(f.Simulate().Final);
        Assert.Equal(HeDecryptionCheck.SecondSubset, honest.Check);
        Assert.Empty(honest.SharedDecryptors);
        using var g = new HeRoundFixture(clients: 6, decryptors: 6, threshold: 3);
        var bad = g.Simulate(new HeSimulationOptions { DecryptorsSendingBadShares = new HashSet<uint> { 1 } });
        Assert.Equal(HeAbortReason.SharesDisagree, Assert.IsType<HeServerAbortedState>(bad.Final).Reason);
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
        Assert.Single(result.ServerMessages, m => Decoded(m) is HeRoundResult);
        var replayed = Assert.IsType<HeServerCompletedState>(HeServer.Replay(f.Parameters, result.ServerLog));
        Assert.Equal(done.Result.ExcludedDecryptors, replayed.Result.ExcludedDecryptors);
    }

    [Fact]
    public void ASilentDecryptorIsExcludedAsUnresponsiveAndTheRetriedSumIsStillChecked()
    {
        // [1,2] with 2 silent; the retry [1,3] decrypts, and [3,4] (1 has used its two answers) checks it, sharing 3.
        using var f = new HeRoundFixture(clients: 4, decryptors: 4, threshold: 2);
        var done = Assert.IsType<HeServerCompletedState>(f.Simulate(new HeSimulationOptions { DecryptorsDroppedAtDecrypt = new HashSet<uint> { 2 } }).Final);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, done.Result.Check);
        Assert.Equal([3u], done.SharedDecryptors);
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
        Assert.DoesNotContain(result.ServerMessages, m => Decoded(m) is HeRoundResult);
    }

    private static HeServerMessage Decoded(SentMessage m) => MessageCodec.Decode<HeServerMessage>(m.Bytes, int.MaxValue);
}
