using Keel.Serving.Deployments;
using Keel.Serving.Models;
using Keel.Serving.PredictionLog;
using Keel.Serving.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving;

/// <summary>Builds the inference host; used by <c>keel serve</c> and by tests.</summary>
internal static class ServingHost
{
    /// <param name="args">Host arguments (<c>--urls</c>, logging, <c>--Serving:MaxBatch</c>, ...).</param>
    /// <param name="source">Loads the model once the host has started; until then /health answers 503.</param>
    public static WebApplication Build(string[] args, ModelSource source, Action<ServingOptions>? configure = null) =>
        Build(args, async ct => new ServingTarget(await source(ct)), configure);

    /// <param name="args">Host arguments.</param>
    /// <param name="source">Loads what the host first answers with.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <param name="follower">Moves the host along a deployment's revisions once the first has loaded.</param>
    public static WebApplication Build(string[] args, TargetSource source, Action<ServingOptions>? configure = null, DeploymentFollower? follower = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var options = builder.Services.AddScoring(
            sp => sp.GetRequiredService<IOptions<ServingOptions>>().Value.PredictionLogUri is { } uri ? new HttpPredictionLogWriter(uri) : null,
            sp => sp.GetRequiredService<IOptions<ServingOptions>>().Value.TrafficUri is { } uri ? new HttpTrafficWriter(uri) : null);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        if (follower is not null)
        {
            builder.Services.AddHostedService(sp => new Following(
                follower, sp.GetRequiredService<ModelHost>(), sp.GetRequiredService<IOptions<ServingOptions>>().Value.FollowInterval,
                sp.GetRequiredService<ILogger<DeploymentFollower>>()));
        }

        var app = builder.Build();
        app.MapScoringEndpoints();
        return app;
    }

    private sealed class Following(DeploymentFollower follower, ModelHost host, TimeSpan interval, ILogger<DeploymentFollower> logger) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => follower.FollowAsync(host, interval, logger, stoppingToken);
    }
}
