using System.Globalization;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Logs one value of a metric.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="key">The metric's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">The training step the value belongs to.</param>
    /// <param name="timestamp">When the value was recorded, in Unix epoch milliseconds; null means now.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored the value.</returns>
    public Task LogMetricAsync(
        string runId, string key, double value, long step = 0, long? timestamp = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return PostAsync(
            "runs/log-metric", new LogMetricRequest(runId, key, value, timestamp ?? NowMilliseconds(), step),
            KeelJsonContext.Default.LogMetricRequest, cancellationToken);
    }

    /// <summary>Logs a parameter; logging the same key again with another value is an error.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="key">The parameter's name.</param>
    /// <param name="value">The parameter's value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored the parameter.</returns>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return PostAsync("runs/log-parameter", new LogParamRequest(runId, key, value), KeelJsonContext.Default.LogParamRequest, cancellationToken);
    }

    /// <summary>Sets a tag on a run, replacing any value it had.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="value">The tag's value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored the tag.</returns>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return PostAsync("runs/set-tag", new SetTagRequest(runId, key, value), KeelJsonContext.Default.SetTagRequest, cancellationToken);
    }

    /// <summary>Removes a tag from a run.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has removed the tag.</returns>
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return PostAsync("runs/delete-tag", new DeleteTagRequest(runId, key), KeelJsonContext.Default.DeleteTagRequest, cancellationToken);
    }

    /// <summary>
    /// Logs metrics, parameters and tags together, in as many <c>log-batch</c> requests as MLflow's limits need
    /// (at most 1000 metrics, 100 parameters, 100 tags and 1000 items per request).
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="metrics">Metric values to log.</param>
    /// <param name="parameters">Parameters to log.</param>
    /// <param name="tags">Tags to set; of several values for one key, the last wins.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>A task that completes when the server has stored every batch.</returns>
    /// <remarks>If a request fails, the batches before it stay logged.</remarks>
    public async Task LogBatchAsync(
        string runId,
        IEnumerable<Metric>? metrics = null,
        IEnumerable<Param>? parameters = null,
        IEnumerable<Tag>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        foreach (var batch in LogBatchBuilder.Split(runId, metrics ?? [], parameters ?? [], tags ?? []))
        {
            await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task SendBatchAsync(LogBatchRequest batch, CancellationToken cancellationToken) =>
        PostAsync("runs/log-batch", batch, KeelJsonContext.Default.LogBatchRequest, cancellationToken);

    /// <summary>Records datasets a run used.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="datasets">The datasets, each with tags such as <c>mlflow.data.context</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored the inputs.</returns>
    public Task LogInputsAsync(string runId, IEnumerable<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(datasets);
        return PostAsync(
            "runs/log-inputs", new LogInputsRequest(runId, datasets.ToList()), KeelJsonContext.Default.LogInputsRequest, cancellationToken);
    }

    // MLflow's own client and UI ask for pages of this size (GET_METRIC_HISTORY_MAX_RESULTS); without
    // max_results a server answers with the whole history in one response, however long it is.
    internal const int MetricHistoryPageSize = 25_000;

    /// <summary>Gets every logged value of a metric, following the server's pages.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="metricKey">The metric's name.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The values in the server's order (by step and timestamp on Keel and MLflow).</returns>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricKey);
        var metrics = new List<Metric>();
        string? pageToken = null;
        do
        {
            var query = new QueryString()
                .Add("run_id", runId)
                .Add("metric_key", metricKey)
                .Add("max_results", MetricHistoryPageSize.ToString(CultureInfo.InvariantCulture))
                .Add("page_token", pageToken);
            var page = await GetAsync("metrics/get-history", query, KeelJsonContext.Default.MetricHistoryResponse, cancellationToken)
                .ConfigureAwait(false);
            metrics.AddRange(page.Metrics);
            pageToken = NullIfEmpty(page.NextPageToken);
        }
        while (pageToken is not null);

        return metrics;
    }
}
