using System.Text.Json;
using Keel.Serving.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Keel.Serving;

/// <summary>MLflow's scoring protocol (<c>POST /invocations</c>, <c>/ping</c>, <c>/health</c>, <c>/version</c>) and <c>/metrics</c>.</summary>
internal static class ScoringEndpoints
{
    public const string PredictionIdHeader = "X-Keel-Prediction-Id";
    public const string ModelVersionHeader = "X-Keel-Model-Version";
    public const string RequestKeyHeader = "X-Keel-Request-Key";
    private static readonly string Version = typeof(ScoringEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static IEndpointRouteBuilder MapScoringEndpoints(this IEndpointRouteBuilder app)
    {
        // /ping says the process is up; /health says it can score (MLflow answers both by whether the model is loaded).
        app.MapGet("/ping", () => Results.Text("\n"));
        app.MapGet("/health", (ModelHost host) => host.Current is null
            ? Results.Text("loading\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("\n"));
        app.MapGet("/version", () => Results.Text(Version));
        app.MapPost("/invocations", InvokeAsync);
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ServingMetrics>().Registry);
        return app;
    }

    private static Task InvokeAsync(HttpContext http, ModelHost host, Scorer scorer) => host.Current is { } target
        ? scorer.ScoreAsync(http, target)
        : WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "The model is still loading; /health turns 200 when it is ready.");
    /// <summary>MLflow's error body: <c>{"error_code": "BAD_REQUEST", "message": ...}</c>.</summary>
    public static async Task WriteErrorAsync(HttpContext http, int status, string message, string code = "BAD_REQUEST")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("error_code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        await http.Response.BodyWriter.FlushAsync();
    }
}
