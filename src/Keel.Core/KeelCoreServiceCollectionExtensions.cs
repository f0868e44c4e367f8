using Keel.Core.Artifacts;
using Keel.Core.Storage;
using Keel.Core.Tracking;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

internal static class KeelCoreServiceCollectionExtensions
{
    /// <summary>The embedded metadata store (SQLite with one group-commit writer) and local artifacts.</summary>
    public static IServiceCollection AddKeelStorage(this IServiceCollection services, string configurationSection = "Storage")
    {
        services.AddOptions<Keel.Core.Storage.StorageOptions>().BindConfiguration(configurationSection)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{configurationSection}:DataDirectory must name a directory.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<WriteQueue>();
        services.TryAddSingleton<LocalArtifactStore>();
        return services;
    }

    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.TryAddSingleton<TrackingStore>();
        return services;
    }
}
