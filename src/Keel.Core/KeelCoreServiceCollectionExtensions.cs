using Keel.Core.Artifacts;
using Keel.Core.Audit;
using Keel.Core.Auth;
using Keel.Core.Data;
using Keel.Core.Deployments;
using Keel.Core.Monitoring;
using Keel.Core.Predictions;
using Keel.Core.Registry;
using Keel.Core.Storage;
using Keel.Core.Trace;
using Keel.Core.Tracking;
using Keel.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

internal static class KeelCoreServiceCollectionExtensions
{
    /// <summary>
    /// The metadata database (embedded SQLite, or PostgreSQL when Storage:Database is set) with this process's
    /// group-commit writer, and the artifact store (local files, or S3 when Artifacts:Root is set).
    /// </summary>
    public static IServiceCollection AddKeelStorage(this IServiceCollection services, string configurationSection = "Storage")
    {
        services.AddOptions<Keel.Core.Storage.StorageOptions>().BindConfiguration(configurationSection)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{configurationSection}:DataDirectory must name a directory.")
            .Validate(o => !o.IsPostgres || IsValidPostgres(o.Database!),
                "The database must be a PostgreSQL URL, postgresql://user:password@host:5432/database (or an Npgsql connection string).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => Database.Create(sp.GetRequiredService<IOptions<Keel.Core.Storage.StorageOptions>>().Value));
        services.TryAddSingleton<WriteQueue>();
        services.AddOptions<ArtifactStoreOptions>().BindConfiguration("Artifacts")
            .Validate(o => ArtifactStoreOptions.Validate(o) is null, "Artifacts:Root must be an s3://bucket/prefix URI; leave it unset to keep artifacts under Storage:DataDirectory.")
            .ValidateOnStart();
        services.TryAddSingleton<IArtifactStore>(sp => sp.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.IsS3
            ? ActivatorUtilities.CreateInstance<S3ArtifactStore>(sp)
            : ActivatorUtilities.CreateInstance<LocalArtifactStore>(sp));
        return services;
    }

    private static bool IsValidPostgres(string value)
    {
        try
        {
            PostgresConnectionString.Parse(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.TryAddSingleton<TrackingStore>();
        return services;
    }

    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddTracking();
        services.TryAddSingleton<RegistryStore>();
        services.TryAddSingleton<ModelLineageReader>();
        services.TryAddSingleton<PredictionTracer>();
        return services;
    }

    /// <summary>Webhook definitions and their delivery; the host runs <see cref="WebhookDelivery"/> in a loop.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, string configurationSection = "Webhooks")
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(configurationSection)
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{configurationSection}:PollInterval must be positive.")
            .Validate(o => o.MaxAttempts >= 1, $"{configurationSection}:MaxAttempts must be at least 1.")
            .Validate(o => o.InitialBackoff >= TimeSpan.Zero, $"{configurationSection}:InitialBackoff must not be negative.")
            .Validate(o => o.MaxBackoff >= o.InitialBackoff, $"{configurationSection}:MaxBackoff must be at least {configurationSection}:InitialBackoff.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, $"{configurationSection}:RequestTimeout must be positive.")
            .Validate(o => o.BatchSize >= 1, $"{configurationSection}:BatchSize must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<WebhookStore>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookDelivery>();
        return services;
    }

    /// <summary>The prediction log that serving hosts append to.</summary>
    public static IServiceCollection AddPredictions(this IServiceCollection services)
    {
        services.TryAddSingleton<PredictionStore>();
        return services;
    }

    /// <summary>Managed deployments and their revision history.</summary>
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.TryAddSingleton<DeploymentStore>();
        services.TryAddSingleton<TrafficStore>();
        return services;
    }

    /// <summary>Content-addressed dataset versions; chunks go to the artifact store.</summary>
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        services.TryAddSingleton<DataStore>();
        return services;
    }

    /// <summary>Monitors over the prediction log: windows, reports, labels and alerts.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration("Monitoring")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Monitoring:PollInterval must be positive.")
            .Validate(o => o.MaxWindowsPerRound > 0, "Monitoring:MaxWindowsPerRound must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<MonitorStore>();
        services.TryAddSingleton<MonitorWindows>();
        services.TryAddSingleton<ReferenceLoader>();
        services.TryAddSingleton<MonitorEvaluator>();
        return services;
    }

    /// <summary>Users and API tokens; whether requests must authenticate is the host's Auth:Enabled.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration("Auth")
            .PostConfigure(o => o.BootstrapPassword ??= Environment.GetEnvironmentVariable(AuthOptions.BootstrapPasswordVariable))
            .Validate(o => o.CredentialCacheDuration >= TimeSpan.Zero, "Auth:CredentialCacheDuration must not be negative.")
            .Validate(o => o.BootstrapAdmin is null || o.Enabled, "Auth:BootstrapAdmin needs Auth:Enabled (keel server --auth).")
            .ValidateOnStart();
        services.TryAddSingleton<AuthStore>();
        services.TryAddSingleton<GrantStore>();
        return services;
    }

    /// <summary>The tamper-evident audit trail; its HMAC key comes from Audit:Key, KEEL_AUDIT_KEY or the data directory.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration("Audit")
            .PostConfigure(o => o.Key ??= Environment.GetEnvironmentVariable(AuditOptions.KeyVariable))
            .Validate(o => string.IsNullOrEmpty(o.Key) || o.Key.Length >= AuditKey.MinimumLength,
                $"Audit:Key (or {AuditOptions.KeyVariable}) must be at least {AuditKey.MinimumLength} characters.")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var audit = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<Keel.Core.Storage.StorageOptions>>().Value;
            if (storage.IsPostgres && string.IsNullOrEmpty(audit.Key))
            {
                // Not a startup failure: one server on PostgreSQL is fine with its own key file; replicas are not.
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Keel.Audit").LogWarning(
                    "Audit:Key is not set, so the audit chain's key is a file in {DataDirectory}. Replicas sharing this PostgreSQL database " +
                    "must share one key: set Audit:Key (or {Variable}) on each, or their entries will not verify.", storage.DataDirectory, AuditOptions.KeyVariable);
            }

            return new AuditChain(AuditKey.Resolve(audit, storage));
        });
        services.TryAddSingleton<AuditStore>();
        return services;
    }
}
