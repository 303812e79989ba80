using SecureFed.Aggregator.Hosting;

namespace SecureFed.Aggregator;

/// <summary>Entry point of the standalone service: <c>dotnet SecureFed.Aggregator.dll [--urls URL] [--Aggregator:DatabasePath=FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the service until stopped: the aggregator library on an otherwise empty ASP.NET Core app. A damaged
    /// database ends it at once with one line on stderr and exit code 1.</summary>
    public static int Main(string[] args)
    {
        WebApplication app;
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
            // The kill -9 matrix's switch (off unless its environment variable is set; see DurableStepKill).
            builder.Services.AddSingleton(Faults.DurableStepKill.FromEnvironment());
            builder.Services.AddSecureFedAggregator(builder.Configuration.GetSection(AggregatorOptions.Section));
            app = builder.Build();
            app.MapSecureFed();
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
