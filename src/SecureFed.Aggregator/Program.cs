namespace SecureFed.Aggregator;

/// <summary>Entry point of the standalone service: <c>dotnet SecureFed.Aggregator.dll [--urls URL] [--Aggregator:DatabasePath=FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the service until stopped.</summary>
    public static void Main(string[] args) => AggregatorApplication.Build(args).Run();
}
