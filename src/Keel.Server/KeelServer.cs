using Keel.Serving;
using Keel.Server.Endpoints;
using Keel.Server.Mlflow;
using Keel.Server.Serving;
using Keel.Server.Ui;
using Prometheus;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Keel.Server;

/// <summary>Builds the Keel server; used by Program (and tests) and by `keel server`.</summary>
public static class KeelServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // Keel.Requests already writes one line per request; the framework's own would triple it.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ErrorHandler>();
        builder.Services.AddKeelStorage();
        builder.Services.AddTracking();
        builder.Services.AddRegistry();
        builder.Services.AddWebhooks();
        builder.Services.AddPredictions();
        builder.Services.AddData();
        builder.Services.AddDeployments();
        builder.Services.AddInProcessServing();
        builder.Services.AddKeelUi();
        builder.Services.AddMonitoring();
        builder.Services.AddAuth();
        builder.Services.AddAudit();
        builder.Services.AddMemoryCache();
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddHostedService<AuthBootstrap>();
        builder.Services.AddHostedService<WebhookDeliveryService>();
        builder.Services.AddHostedService<MonitoringService>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        // Outside the exception handler, so the outcome recorded is the status the client receives.
        app.UseMiddleware<AuditTrail>();
        app.UseExceptionHandler();
        app.UseMiddleware<Authentication>();
        app.UseMiddleware<Authorisation>();
        app.MapKeelUi();
        app.MapHealthEndpoints();
        app.MapTrackingEndpoints();
        app.MapRegistryEndpoints();
        app.MapLineageEndpoints();
        app.MapTraceEndpoints();
        app.MapWebhookEndpoints();
        app.MapPredictionEndpoints();
        app.MapDataEndpoints();
        app.MapDeploymentEndpoints();
        app.MapInvocationEndpoints();
        app.MapMonitoringEndpoints();
        app.MapGateEndpoints();
        app.MapAuthEndpoints();
        app.MapAuditEndpoints();
        app.MapGrantEndpoints();
        // One scrape shows the in-process deployments' serving metrics and the monitors' gauges.
        app.MapMetrics("/metrics", new MonitoringMetrics(app.Services, app.Services.GetRequiredService<ServingMetrics>().Registry).Registry)
            .RequireKeelPermission(Keel.Core.Auth.Permission.Read);
        app.MapArtifactEndpoints();
        app.MapMetricChartEndpoints();
        app.MapMlflowFallbacks();
        return app;
    }

    /// <summary>The address a started server listens on (with port 0, the one the OS picked).</summary>
    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
