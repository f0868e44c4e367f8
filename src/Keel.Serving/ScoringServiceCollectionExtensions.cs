using Keel.Serving.Batching;
using Keel.Serving.PredictionLog;
using Keel.Serving.Shadow;
using Keel.Serving.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving;

internal static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// The scoring pipeline (options from section <c>Serving</c>, batcher, metrics, prediction log, shadow, <see cref="Scorer"/>)
    /// shared by <c>keel serve</c> and the server's in-process deployments, which differ only in where the log goes.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="logWriter">Where prediction-log batches go; null turns the log off.</param>
    /// <param name="trafficWriter">Where deployments' traffic counts go; null counts none.</param>
    public static OptionsBuilder<ServingOptions> AddScoring(
        this IServiceCollection services, Func<IServiceProvider, IPredictionLogWriter?> logWriter, Func<IServiceProvider, ITrafficWriter?> trafficWriter)
    {
        var options = services.AddOptions<ServingOptions>().BindConfiguration("Serving")
            .Validate(o => o.MaxBatch >= 1, "Serving:MaxBatch (--max-batch) must be at least 1.")
            .Validate(o => o.MaxDelay >= TimeSpan.Zero, "Serving:MaxDelay (--max-delay) must not be negative.")
            .Validate(o => o.LogQueueCapacity >= 1, "Serving:LogQueueCapacity must be at least 1.")
            .Validate(o => o.LogBatchSize >= 1, "Serving:LogBatchSize must be at least 1.")
            .Validate(o => o.ShadowQueueCapacity >= 1, "Serving:ShadowQueueCapacity must be at least 1.")
            .Validate(o => o.FollowInterval > TimeSpan.Zero, "Serving:FollowInterval (--poll-interval) must be positive.")
            .Validate(o => o.RetireAfter >= TimeSpan.Zero, "Serving:RetireAfter must not be negative.")
            .Validate(o => o.TrafficFlushInterval > TimeSpan.Zero, "Serving:TrafficFlushInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<Batcher>();
        services.AddSingleton(sp => new PredictionLogger(sp.GetRequiredService<IOptions<ServingOptions>>(), sp.GetRequiredService<ServingMetrics>(),
            sp.GetRequiredService<ILogger<PredictionLogger>>(), logWriter(sp)));
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLogger>());
        // Registered after the log: hosts stop services in reverse order, so queued shadow answers reach the log before it drains.
        services.AddSingleton<ShadowScorer>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowScorer>());
        services.AddSingleton(sp => new TrafficRecorder(sp.GetRequiredService<IOptions<ServingOptions>>(), trafficWriter(sp),
            sp.GetRequiredService<ILogger<TrafficRecorder>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TrafficRecorder>());
        services.AddSingleton<Scorer>();
        return options;
    }
}
