using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>The service on ASP.NET Core's in-memory test server, with its database in a temp folder.</summary>
public sealed class AggregatorFactory : WebApplicationFactory<AggregatorApplication>
{
    public TempFolder Folder { get; } = new();

    public string AdminKey => File.ReadAllText(Folder.File("securefed-admin.key")).Trim();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Aggregator:DatabasePath", Folder.File("securefed.db"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Folder.Dispose();
        }
    }
}
