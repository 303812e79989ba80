using SecureFed.Cli.Commands;

namespace SecureFed.Cli.Tests;

/// <summary>`securefed swarm soak`: its options and how it reads the aggregator's memory (the run itself is eng/soak.sh).</summary>
public class SwarmSoakTests
{
    [Theory]
    [InlineData(new[] { "swarm", "soak", "--rounds", "0" }, "--rounds must be between 1 and 10000 (got 0)")]
    [InlineData(new[] { "swarm", "soak", "--clients", "1" }, "--clients must be between 2 and 100000 (got 1)")]
    [InlineData(new[] { "swarm", "soak", "--server", "ftp://host" }, "--server must be an http(s) URL (got 'ftp://host')")]
    public void A_bad_value_is_a_usage_error(string[] args, string message)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_names_the_memory_check_and_the_latency_report()
    {
        CliRun run = CliRun.Of("swarm", "soak", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--rounds", run.Output, StringComparison.Ordinal);
        Assert.Contains("memory_growth", run.Output, StringComparison.Ordinal);
        Assert.Contains("submit_latency_ms", run.Output, StringComparison.Ordinal);
        Assert.Contains("--server-pid", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_working_set_and_the_heap_summed_over_generations_are_read_from_prometheus_text()
    {
        const string text = """
            # TYPE dotnet_process_memory_working_set_bytes gauge
            dotnet_process_memory_working_set_bytes{otel_scope_name="System.Runtime"} 104857600 1733390000000
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 1048576
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="loh"} 2097152
            dotnet_gc_last_collection_memory_committed_size_bytes{otel_scope_name="System.Runtime"} 5242880
            dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 99999999999
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 13
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 47
            """;
        SwarmServerMemory memory = SwarmServerMemory.Parse(text);
        Assert.Equal(100.0, memory.WorkingSetMb);
        Assert.Equal(3.0, memory.GcHeapMb);
        Assert.Equal(5.0, memory.GcCommittedMb);
        Assert.Equal(13, memory.Gen2Collections);
        Assert.Equal(new SwarmServerMemory(null, null, null), SwarmServerMemory.Parse("# nothing here\n"));
    }
}
