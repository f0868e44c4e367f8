using Keel.Core.Deployments;
using Keel.Core.Predictions;
using Keel.Serving;
using Keel.Serving.Deployments;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keel.Server.Serving;

internal static class InProcessServing
{
    /// <summary>Serves every deployment at <c>/deployments/{name}/invocations</c> inside the server, following the store.</summary>
    public static IServiceCollection AddInProcessServing(this IServiceCollection services)
    {
        services.AddScoring(
            sp => new StorePredictionLogWriter(sp.GetRequiredService<PredictionStore>()),
            sp => new StoreTrafficWriter(sp.GetRequiredService<TrafficStore>()));
        services.TryAddSingleton<IDeploymentSource, StoreDeploymentSource>();
        services.AddSingleton<DeploymentHosts>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentHosts>());
        return services;
    }
}
