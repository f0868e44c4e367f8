using System.Text.Json;
using Keel.Core;
using Keel.Core.Deployments;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

internal static partial class DeploymentEndpoints
{
    private const int DefaultTrafficMinutes = 60;

    /// <summary>
    /// GET /api/keel/v1/deployments/{name}/traffic?minutes=60: per minute and model version, the answered and failed
    /// requests every host counted, and latency quantiles estimated from the buckets.
    /// </summary>
    private static async Task<IResult> ReadTrafficAsync(string name, HttpRequest request, DeploymentStore deployments, TrafficStore traffic, CancellationToken ct)
    {
        var minutes = RegistryEndpoints.OptionalLong(request, "minutes") ?? DefaultTrafficMinutes;
        if (minutes is < 1 or > TrafficStore.MaxMinutes)
        {
            throw KeelException.InvalidParameter($"minutes must be between 1 and {TrafficStore.MaxMinutes}, but got {minutes}.");
        }

        await deployments.GetAsync(name, ct);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        var since = now - ((minutes - 1) * 60_000);
        var rows = await traffic.ReadAsync(name, since, ct);
        return Results.Json(new
        {
            deployment = name,
            since,
            latency_bounds_ms = TrafficMinute.LatencyBoundsMs,
            minutes = rows.Select(m => new
            {
                minute = m.Minute, model_name = m.ModelName, model_version = m.ModelVersion, requests = m.Requests, errors = m.Errors,
                p50_ms = TrafficMinute.Quantile(m.LatencyBuckets, 0.5), p95_ms = TrafficMinute.Quantile(m.LatencyBuckets, 0.95),
                p99_ms = TrafficMinute.Quantile(m.LatencyBuckets, 0.99), latency_buckets = m.LatencyBuckets,
            }).ToList(),
        }, MlflowJson.Options);
    }

    /// <summary>
    /// POST {"minutes": [{"minute", "model_name", "model_version", "requests", "errors", "latency_buckets": [12 counts]}]}:
    /// what a <c>keel serve --deployment</c> host counted since its last post, added to the totals.
    /// </summary>
    private static async Task<IResult> AddTrafficAsync(string name, HttpRequest request, TrafficStore traffic, CancellationToken ct)
    {
        using var document = await ReadObjectAsync(request, ct);
        if (!document.RootElement.TryGetProperty("minutes", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw KeelException.InvalidParameter("The body must be {\"minutes\": [...]}.");
        }

        var minutes = rows.EnumerateArray().Select((row, i) => ToTrafficMinute(name, row, i)).ToList();
        await traffic.AddAsync(name, minutes, ct);
        return Results.NoContent();
    }

    private static TrafficMinute ToTrafficMinute(string deployment, JsonElement row, int index)
    {
        KeelException Invalid(string field, string what) => KeelException.InvalidParameter($"minutes[{index}].{field} must be {what}.");
        long Number(string field) => row.ValueKind == JsonValueKind.Object && row.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            && v.TryGetInt64(out var n) ? n : throw Invalid(field, "an integer");
        var model = row.ValueKind == JsonValueKind.Object && row.TryGetProperty("model_name", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()! : throw Invalid("model_name", "a string");
        if (!row.TryGetProperty("latency_buckets", out var buckets) || buckets.ValueKind != JsonValueKind.Array
            || buckets.EnumerateArray().Any(b => b.ValueKind != JsonValueKind.Number || !b.TryGetInt64(out _)))
        {
            throw Invalid("latency_buckets", $"an array of {TrafficMinute.Buckets} integers");
        }

        return new TrafficMinute(deployment, Number("minute"), model, Number("model_version"), Number("requests"), Number("errors"),
            buckets.EnumerateArray().Select(b => b.GetInt64()).ToArray());
    }
}
