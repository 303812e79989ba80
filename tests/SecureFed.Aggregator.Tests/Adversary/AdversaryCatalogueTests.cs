using System.Net;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Transport;
using Xunit.Abstractions;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// The adversary catalogue (issue 20 part 3): what a malicious client or relay can try against the real service, one
/// named case each (<see cref="MaskingAdversaryCases"/>, <see cref="HeAdversaryCases"/>). Each case must be answered
/// with its documented status and problem code and leave the round as it was (phase, stage, received count, the
/// side round's count and every round-log row); and after all of them the honest devices complete both rounds with
/// the exact sum. All cases share one service and one round per scheme (<see cref="AdversaryRounds"/>).
/// </summary>
public sealed class AdversaryCatalogueTests(AdversaryRounds rounds, ITestOutputHelper output) : IClassFixture<AdversaryRounds>
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string id in MaskingAdversaryCases.All.Select(c => c.Id).Concat(HeAdversaryCases.All.Select(c => c.Id)))
        {
            data.Add(id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_is_refused_with_its_documented_code_and_changes_nothing(string id)
    {
        Assert.Null(rounds.Failure);
        (string attack, HttpStatusCode status, ProblemCode? code) = MaskingAdversaryCases.All.Where(c => c.Id == id).Select(c => (c.Attack, c.Status, c.Code))
            .Concat(HeAdversaryCases.All.Where(c => c.Id == id).Select(c => (c.Attack, c.Status, c.Code))).Single();
        AdversaryOutcome outcome = rounds.Outcomes[id];
        output.WriteLine($"{id} {attack}: {(int)outcome.Status} {outcome.Code ?? outcome.Body}");
        Assert.Equal(status, outcome.Status);
        Assert.Equal(code is { } c ? WireNames.Of(c) : null, outcome.Code);
        if (code is null)
        {
            Assert.Contains("already-accepted", outcome.Body, StringComparison.Ordinal);
        }
        Assert.Equal(outcome.Before, outcome.After);
    }

    [Fact]
    public void The_catalogue_has_at_least_30_uniquely_named_cases()
    {
        string[] ids = [.. MaskingAdversaryCases.All.Select(c => c.Id), .. HeAdversaryCases.All.Select(c => c.Id)];
        Assert.True(ids.Length >= 30, $"{ids.Length} cases");
        Assert.Equal(ids.Length, ids.Distinct().Count());
        output.WriteLine($"{ids.Length} cases; the live run took {rounds.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void After_every_masking_case_the_honest_devices_complete_with_the_exact_sum()
    {
        Assert.Null(rounds.Failure);
        var status = rounds.Masking!;
        Assert.Equal("completed", status.Status);
        int[] contributors = [MaskingAdversary.AttackerIndex, 1, 2, 3];
        Assert.Equal(4, status.Survivors!.Count);
        Assert.Equal(TestFederation.ExpectedSum(contributors, MaskingAdversary.Length, MaskingAdversary.Bits), status.Sums![0]);
        Assert.All(rounds.MaskingHonest.Take(3), t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        Assert.True(rounds.MaskingHonest[3].IsCanceled || rounds.MaskingHonest[3].IsFaulted, "the device that went offline did not complete");
    }

    [Fact]
    public void After_every_HE_case_the_honest_devices_complete_with_the_exact_sum()
    {
        Assert.Null(rounds.Failure);
        var status = rounds.He!;
        Assert.Equal("completed", status.Status);
        Assert.Equal(HeTestRound.ExpectedSum(Enumerable.Range(0, HeAdversary.Clients), HeAdversary.Length), status.Sums![0]);
        Assert.All(rounds.HeHonest, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
    }
}
