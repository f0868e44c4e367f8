using Keel.Client;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="KeelClient"/> with dependency injection.</summary>
public static class KeelClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KeelClient"/> as a typed <see cref="HttpClient"/> whose base address is the
    /// tracking URI from <see cref="KeelClientOptions"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; when omitted, the tracking URI comes from <c>MLFLOW_TRACKING_URI</c> or the default.</param>
    /// <returns>The HTTP client builder, to add handlers such as authentication or resilience.</returns>
    public static IHttpClientBuilder AddKeelClient(this IServiceCollection services, Action<KeelClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<KeelClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services
            .AddHttpClient(nameof(KeelClient), static (serviceProvider, http) =>
            {
                var settings = serviceProvider.GetRequiredService<IOptions<KeelClientOptions>>().Value;
                http.BaseAddress = TrackingUri.ToBaseAddress(TrackingUri.Resolve(settings.TrackingUri));
                http.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
                if (settings.Timeout is { } timeout)
                {
                    http.Timeout = timeout;
                }
            })
            .AddTypedClient(static http => new KeelClient(http));
    }
}
