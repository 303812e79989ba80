using SecureFed.Protocol.Hosting;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Tests;

/// <summary>The typed wire values: every problem code, scheme and status round-trips through its one wire name, and
/// every problem code is listed in protocol-spec/transport.md section 4.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void Every_problem_code_round_trips_and_is_listed_in_the_spec()
    {
        string spec = File.ReadAllText(Path.Combine(TransportVectorTests.RepoRoot(), "protocol-spec", "transport.md"));
        string errors = spec[spec.IndexOf("## 4. Errors", StringComparison.Ordinal)..spec.IndexOf("## 5.", StringComparison.Ordinal)];
        foreach (ProblemCode code in Enum.GetValues<ProblemCode>().Where(c => c != ProblemCode.Unknown))
        {
            string name = WireNames.Of(code);
            Assert.Equal(code, WireNames.ParseProblem(name));
            Assert.Contains($"`{name}`", errors, StringComparison.Ordinal);
        }
        Assert.Equal("wrong-stage", WireNames.Of(ProblemCode.WrongStage));
        Assert.Equal("not-a-recipient", WireNames.Of(ProblemCode.NotARecipient));
        Assert.Equal(ProblemCode.Unknown, WireNames.ParseProblem("from-a-newer-server"));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.Of(ProblemCode.Unknown));
    }

    [Fact]
    public void Schemes_and_statuses_round_trip_and_a_missing_scheme_is_masking()
    {
        foreach (RoundScheme scheme in Enum.GetValues<RoundScheme>())
        {
            Assert.True(WireNames.TryParseScheme(WireNames.Of(scheme), out RoundScheme parsed));
            Assert.Equal(scheme, parsed);
        }
        Assert.True(WireNames.TryParseScheme(null, out RoundScheme missing));
        Assert.Equal(RoundScheme.Masking, missing);
        Assert.False(WireNames.TryParseScheme("MASKING", out _));
        foreach (RoundPhase phase in Enum.GetValues<RoundPhase>())
        {
            Assert.Equal(phase, WireNames.ParsePhase(WireNames.Of(phase)));
        }
        Assert.Throws<FormatException>(() => WireNames.ParsePhase("paused"));
    }
}
