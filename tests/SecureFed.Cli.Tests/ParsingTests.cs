using System.Text.Json;

namespace SecureFed.Cli.Tests;

public class ParsingTests
{
    [Theory]
    [InlineData(new[] { "simulate", "--clients", "0" }, "--clients must be between 1 and 100000 (got 0)")]
    [InlineData(new[] { "simulate", "--clients", "many" }, "--clients must be an integer (got 'many')")]
    [InlineData(new[] { "simulate", "--dropout", "1.5" }, "--dropout must be between 0 and 1 (got 1.5)")]
    [InlineData(new[] { "simulate", "--scheme", "rsa" }, "--scheme must be one of masking, he (got 'rsa')")]
    [InlineData(new[] { "plan", "--bits", "65" }, "--bits must be between 1 and 64 (got 65)")]
    [InlineData(new[] { "bench", "secagg", "--dropouts", "0,x" }, "--dropouts must be a comma-separated list of numbers (got '0,x')")]
    [InlineData(new[] { "swarm", "--server", "ftp://host" }, "--server must be an http(s) URL (got 'ftp://host')")]
    public void A_bad_value_names_the_option_and_what_it_accepts_with_exit_code_2(string[] args, string message)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help` lists the options", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData(new[] { "simulate", "--clients", "2" }, "--clients must be between 3 and 100000 (got 2)")]
    [InlineData(new[] { "simulate", "--clients", "10", "--threshold", "11" }, "--threshold must be between 1 and 10 (--clients) (got 11)")]
    [InlineData(new[] { "simulate", "--scheme", "he", "--graph", "complete" }, "--graph does not apply to --scheme he")]
    [InlineData(new[] { "simulate", "--lanes", "2" }, "--lanes does not apply to --scheme masking")]
    [InlineData(new[] { "dp", "epsilon", "--noise-multiplier", "1", "--delta", "1e-5", "--clip", "2" }, "--clip applies to --mechanism ddg or skellam only")]
    [InlineData(new[] { "swarm", "--decryptors", "4" }, "--decryptors applies to --scheme he only")]
    [InlineData(new[] { "serve", "admin", "open", "--federation", "f", "--length", "8", "--max-weight", "4" }, "--max-weight needs --clip-norm (float rounds only)")]
    [InlineData(new[] { "serve", "admin", "open", "--federation", "f", "--length", "8", "--dp-epsilon", "1" }, "--dp-epsilon needs --clip-norm (float rounds only)")]
    [InlineData(new[] { "serve", "admin", "open", "--federation", "f", "--length", "8", "--clip-norm", "1", "--budget", "5" }, "--budget needs --dp-epsilon or --noise-multiplier (DP rounds only)")]
    [InlineData(new[] { "serve", "admin", "open", "--federation", "f", "--length", "8", "--clip-norm", "1", "--scheme", "he", "--decryptors", "1,2", "--input-range", "9" }, "--input-range does not apply to a float round")]
    public void A_range_that_depends_on_another_option_is_checked_before_any_work(string[] args, string message)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_options_and_commands_are_usage_errors()
    {
        Assert.Equal(2, CliRun.Of("simulate", "--client", "5").ExitCode);
        Assert.Equal(2, CliRun.Of("simulat").ExitCode);
        CliRun missing = CliRun.Of("dp", "plan", "--epsilon", "1");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--delta", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_accept_thousands_separators_and_defaults_apply()
    {
        CliRun run = CliRun.Of("plan", "--clients", "1_000", "--length", "100,000", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        Assert.Equal(1000, doc.RootElement.GetProperty("clients").GetInt32());
        Assert.Equal(100_000, doc.RootElement.GetProperty("length").GetInt32());
        Assert.Equal(32, doc.RootElement.GetProperty("bits").GetInt32());
        Assert.Equal(0.05, doc.RootElement.GetProperty("gamma").GetDouble());
    }

    [Fact]
    public void Option_equals_value_form_is_accepted()
    {
        CliRun run = CliRun.Of("plan", "--clients=500", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"clients\":500", run.Output, StringComparison.Ordinal);
    }
}
