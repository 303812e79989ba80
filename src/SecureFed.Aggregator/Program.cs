using SecureFed.Aggregator.Hosting;

namespace SecureFed.Aggregator;

/// <summary>Entry point of the standalone service: <c>dotnet SecureFed.Aggregator.dll [--urls URL] [--Aggregator:DatabasePath=FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the service until stopped: the aggregator library on an otherwise empty ASP.NET Core app.</summary>
    public static void Main(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSecureFedAggregator(builder.Configuration.GetSection(AggregatorOptions.Section));
        WebApplication app = builder.Build();
        app.MapSecureFed();
        app.Run();
    }
}
