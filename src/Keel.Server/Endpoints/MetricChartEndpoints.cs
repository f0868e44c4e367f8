using Keel.Core.Auth;
using System.Globalization;
using System.Runtime.InteropServices;
using Keel.Core;
using Keel.Core.Tracking;

namespace Keel.Server.Endpoints;

/// <summary>
/// A metric's history thinned on the server for a chart: a browser drawing 100,000 points per run is slow, and
/// LTTB keeps the shape (spikes, first and last point) in a few hundred. Keel's route, so errors are ProblemDetails.
/// </summary>
internal static class MetricChartEndpoints
{
    public const int DefaultPoints = 1000;
    public const int MaxPoints = 10_000;

    public static IEndpointRouteBuilder MapMetricChartEndpoints(this IEndpointRouteBuilder app)
    {
        // The metric key is a query parameter because MLflow keys may contain '/', which a route segment cannot carry.
        app.MapGet("/api/keel/v1/runs/{runId}/metrics/downsampled", DownsampledAsync).WithTags("Tracking").RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        return app;
    }

    /// <summary>GET ?key=K&amp;points=N&amp;x=step|time: {"key", "x", "total", "xs": [...], "ys": [...]}, non-finite values left out.</summary>
    private static async Task<IResult> DownsampledAsync(string runId, HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var key = request.Query["key"].ToString();
        if (key.Length == 0)
        {
            throw KeelException.InvalidParameter("Missing value for required parameter 'key'.");
        }

        var points = Points(request.Query["points"].ToString());
        var axis = request.Query["x"].ToString() is { Length: > 0 } x ? x : "step";
        if (axis is not ("step" or "time"))
        {
            throw KeelException.InvalidParameter($"Invalid x '{axis}': expected 'step' or 'time'.");
        }

        var xs = new List<double>();
        var ys = new List<double>();
        await using (var history = await store.OpenMetricHistoryAsync(runId, key, 0, null, ct))
        {
            while (history.Read())
            {
                if (double.IsFinite(history.Value))
                {
                    xs.Add(axis == "step" ? history.Step : history.Timestamp);
                    ys.Add(history.Value);
                }
            }
        }

        if (axis == "time")
        {
            // History comes in step order; on the wall-clock axis it must be in time order.
            CollectionsMarshal.AsSpan(xs).Sort(CollectionsMarshal.AsSpan(ys));
        }

        var (thinX, thinY) = Lttb.Downsample(CollectionsMarshal.AsSpan(xs), CollectionsMarshal.AsSpan(ys), points);
        return Results.Json(new { key, x = axis, total = xs.Count, xs = thinX, ys = thinY });
    }

    private static int Points(string text)
    {
        if (text.Length == 0)
        {
            return DefaultPoints;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var points) || points < 2 || points > MaxPoints)
        {
            throw KeelException.InvalidParameter($"Invalid points '{text}': expected a whole number from 2 to {MaxPoints}.");
        }

        return points;
    }
}
