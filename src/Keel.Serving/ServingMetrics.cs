using System.Collections.Concurrent;
using System.Globalization;
using Keel.Serving.Models;
using Prometheus;

namespace Keel.Serving;

/// <summary>
/// The host's Prometheus metrics, in a registry of its own (several hosts can share a process, as tests do). Labeled
/// children are looked up once per model version, not per request.
/// </summary>
internal sealed class ServingMetrics
{
    private readonly Counter _requests;
    private readonly Counter _errors;
    private readonly Histogram _latency;
    private readonly Histogram _batchRows;

    public ServingMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        string[] labels = ["model", "version"];
        _requests = factory.CreateCounter("keel_serving_requests_total", "Scoring requests answered, by model version.", labels);
        _errors = factory.CreateCounter("keel_serving_errors_total", "Scoring requests that failed, by model version and error code.", [.. labels, "code"]);
        _latency = factory.CreateHistogram("keel_serving_request_duration_seconds", "Time from reading a request to its answer.", labels,
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        _batchRows = factory.CreateHistogram("keel_serving_batch_rows", "Rows per model call, after coalescing concurrent requests.", labels,
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 12) });
        LogDropped = factory.CreateCounter("keel_serving_prediction_log_dropped_total", "Predictions not logged because the log queue was full or the store unreachable at shutdown.");
        LogWritten = factory.CreateCounter("keel_serving_prediction_log_written_total", "Predictions written to the prediction log.");
        ShadowDropped = factory.CreateCounter("keel_serving_shadow_dropped_total", "Rows not scored by a shadow model because the shadow queue was full.");
        ShadowFailed = factory.CreateCounter("keel_serving_shadow_failed_total", "Rows a shadow model failed to score.");
        LogQueued = factory.CreateGauge("keel_serving_prediction_log_queue", "Requests waiting to be written to the prediction log.");
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Counter LogDropped { get; }

    public Counter LogWritten { get; }

    public Gauge LogQueued { get; }

    public Counter ShadowDropped { get; }

    public Counter ShadowFailed { get; }

    private readonly ConcurrentDictionary<ServedModel, ModelMetrics> _byModel = new();

    public ModelMetrics For(ServedModel model) => _byModel.GetOrAdd(model, Create);

    private ModelMetrics Create(ServedModel model)
    {
        var version = model.Version.ToString(CultureInfo.InvariantCulture);
        return new ModelMetrics(_requests.WithLabels(model.Name, version), _latency.WithLabels(model.Name, version),
            _batchRows.WithLabels(model.Name, version), code => _errors.WithLabels(model.Name, version, code));
    }
}

internal sealed record ModelMetrics(Counter.Child Requests, Histogram.Child Latency, Histogram.Child BatchRows, Func<string, Counter.Child> Errors);
