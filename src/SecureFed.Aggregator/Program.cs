namespace SecureFed.Aggregator;

/// <summary>Entry point of the standalone service: <c>dotnet SecureFed.Aggregator.dll [--urls URL] [--Aggregator:DatabasePath=FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the service until stopped; a damaged database ends it at once with one line on stderr and exit code 1.</summary>
    public static int Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = AggregatorApplication.Build(args);
        }
        catch (Storage.StoreCheckFailedException e)
        {
            Console.Error.WriteLine($"securefed aggregator: {e.Message}");
            return 1;
        }
        app.Run();
        return 0;
    }
}
