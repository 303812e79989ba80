using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureFed.Client;

/// <summary>Registers <see cref="SecureFedClient"/> in a DI container.</summary>
public static class SecureFedClientServiceCollectionExtensions
{
    /// <summary>The named HttpClient the client uses (configure handlers, proxies or certificates on it).</summary>
    public const string HttpClientName = "SecureFed";

    /// <summary>
    /// Adds a singleton <see cref="SecureFedClient"/> configured by <paramref name="configure"/>, with its identity key
    /// from the <see cref="IIdentityKeyStore"/> that <paramref name="keyStore"/> returns and its HttpClient from
    /// IHttpClientFactory (the transport under the client's own retry and signing pipeline), logging to the container's ILoggerFactory.
    /// </summary>
    public static IServiceCollection AddSecureFedClient(this IServiceCollection services, Action<SecureFedClientOptions> configure,
        Func<IServiceProvider, IIdentityKeyStore> keyStore)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(keyStore);
        services.AddHttpClient(HttpClientName);
        services.AddSingleton(sp =>
        {
            var options = new SecureFedClientOptions();
            configure(options);
            return new SecureFedClient(options, keyStore(sp), sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                logger: sp.GetService<ILoggerFactory>()?.CreateLogger<SecureFedClient>());
        });
        return services;
    }
}
