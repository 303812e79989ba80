namespace SecureFed.Cli.Tests;

public class HelpAndOutputTests
{
    [Fact]
    public void The_command_list_names_every_command_once()
    {
        CliRun run = CliRun.Of("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "audit", "bench", "client", "completion", "dp", "plan", "serve", "simulate", "swarm" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", run.Output);
        }
    }

    [Fact]
    public void Command_help_lists_each_option_with_its_default_and_the_notes()
    {
        CliRun run = CliRun.Of("simulate", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--clients <N>", run.Output, StringComparison.Ordinal);
        Assert.Contains("[default: 100]", run.Output, StringComparison.Ordinal);
        Assert.Contains("--drop-stage <advertise|share|masked-input|consistency|unmasking", run.Output, StringComparison.Ordinal);
        Assert.Contains("--decryptor-dropout-stage", run.Output, StringComparison.Ordinal);
        Assert.Contains("exit code: 0 when the unmasked sum equals", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_wins_over_a_missing_required_option()
    {
        CliRun run = CliRun.Of("serve", "admin", "open", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--federation <F>", run.Output, StringComparison.Ordinal);
        Assert.Contains("--scheme he", run.Output, StringComparison.Ordinal);
        foreach (string option in new[] { "--clip-norm <C>", "--scale <S>", "--max-weight <W>", "--dp-epsilon <E>", "--noise-multiplier <Z>", "--budget <EPS>" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Completion_scripts_ask_the_tool_through_the_suggest_directive()
    {
        CliRun bash = CliRun.Of("completion", "bash");
        Assert.Equal(0, bash.ExitCode);
        Assert.Contains("complete -o default -F _securefed_complete securefed", bash.Output, StringComparison.Ordinal);
        Assert.Contains("[suggest:", bash.Output, StringComparison.Ordinal);
        Assert.Contains("compdef _securefed_complete securefed", CliRun.Of("completion", "zsh").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suggest_directive_completes_commands_options_and_choices()
    {
        Assert.Equal(["simulate"], Lines(CliRun.Of("[suggest:13]", "securefed sim").Output));
        Assert.Contains("--scheme", Lines(CliRun.Of("[suggest:24]", "securefed simulate --sch").Output));
        Assert.Equal(["he", "masking"], Lines(CliRun.Of("[suggest:29]", "securefed simulate --scheme ").Output));
    }

    [Fact]
    public void A_json_run_prints_one_object_and_no_progress()
    {
        CliRun run = CliRun.Of("simulate", "--clients", "5", "--length", "16", "--seed", "1", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Single(Lines(run.Output));
        Assert.Contains("\"sum_matches\":true", run.Output, StringComparison.Ordinal);
        // The spread of the per-client times beside the mean, the slowest client being one client's stages summed.
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        System.Text.Json.JsonElement root = json.RootElement;
        double median = root.GetProperty("client_ms_median").GetDouble(), p90 = root.GetProperty("client_ms_p90").GetDouble();
        double p99 = root.GetProperty("client_ms_p99").GetDouble(), max = root.GetProperty("client_ms_max").GetDouble();
        Assert.True(median > 0 && median <= p90 && p90 <= p99 && p99 <= max, run.Output);
        Assert.True(max >= root.GetProperty("client_ms_mean").GetDouble(), run.Output);
        double stageMaxima = root.GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty("client_milliseconds_max").GetDouble());
        Assert.True(max <= stageMaxima + 1e-9, run.Output);
    }

    [Fact]
    public void Redirected_progress_is_plain_stage_lines_and_the_result_an_aligned_table()
    {
        CliRun run = CliRun.Of("simulate", "--clients", "5", "--length", "16", "--seed", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  R0 AdvertiseKeys: 5/5 clients", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", run.Error, StringComparison.Ordinal); // no terminal escapes in a log
        string[] rows = [.. Lines(run.Output).Where(l => l.TrimStart().StartsWith('R') && l.Contains("  ", StringComparison.Ordinal))];
        Assert.True(rows.Length >= 5, run.Output);
        // Aligned: each stage row has its last column ending at the same position.
        Assert.Single(rows.Select(r => r.TrimEnd().Length).Distinct());
        Assert.Contains("sum_matches: true", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_secagg_runs_odd_lengths_and_reports_each_stage_per_client()
    {
        // An odd length once crashed the bench's input maker (the keystream fills whole 16-byte blocks).
        CliRun run = CliRun.Of("bench", "secagg", "--quick", "--complete-clients", "5", "--complete-length", "3", "--dropouts", "0.2",
            "--client-threads", "1", "--skip-plus", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Single(Lines(run.Output));
        Assert.Contains("\"sum_matches\":true", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"sum_matches\":false", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"client_stage_ms_mean\":{\"R0 AdvertiseKeys\":", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"R2 MaskedInputCollection\":", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_secagg_floor_after_reports_the_secagg_plus_client_against_a_second_baseline()
    {
        CliRun run = CliRun.Of("bench", "secagg", "--quick", "--complete-clients", "3", "--complete-length", "2", "--dropouts", "0.1",
            "--client-threads", "1", "--plus-clients", "40", "--plus-lengths", "9", "--floor-after", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        System.Text.Json.JsonElement after = Assert.Single(json.RootElement.GetProperty("floors_after").EnumerateArray());
        Assert.Equal(40, after.GetProperty("clients").GetInt32());
        Assert.True(after.GetProperty("client_floor_ms_after").GetDouble() > 0);
        double ratio = after.GetProperty("client_ms_mean").GetDouble() / after.GetProperty("client_floor_ms_after").GetDouble();
        Assert.Equal(ratio, after.GetProperty("client_floor_ratio_after").GetDouble(), 9);
        Assert.True(after.GetProperty("baseline_after").GetProperty("keystream_aes_ni_g_bps").GetDouble() > 0);
        System.Text.Json.JsonElement plus = json.RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("graph").GetString() == "harary");
        double median = plus.GetProperty("client_ms_median").GetDouble();
        Assert.True(median > 0 && median <= plus.GetProperty("client_ms_p90").GetDouble(), run.Output);
        Assert.Equal(median / plus.GetProperty("client_floor_ms").GetDouble(), plus.GetProperty("client_floor_ratio_median").GetDouble(), 9);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
