using System.Diagnostics;
using Keel.Server.Endpoints;
using Keel.Server.Mlflow;

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
        builder.Services.AddHostedService<StorageInitializer>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Use(LogRequestAsync);
        app.UseExceptionHandler();
        app.MapHealthEndpoints();
        app.MapTrackingEndpoints();
        app.MapArtifactEndpoints();
        return app;
    }

    // One structured line per request; the "Keel.Requests" category can be turned down for load tests.
    private static async Task LogRequestAsync(HttpContext http, Func<Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Keel.Requests");
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms",
                    http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
