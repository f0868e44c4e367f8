using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>Collects metrics, params and tags into <c>log-batch</c> requests that stay within MLflow's limits.</summary>
internal sealed class LogBatchBuilder(string runId)
{
    // MLflow's documented limits for one LogBatch request (service.proto, LogBatch).
    public const int MaxMetrics = 1000;
    public const int MaxParams = 100;
    public const int MaxTags = 100;
    public const int MaxItems = 1000;

    private List<Metric> _metrics = [];
    private List<Param> _params = [];
    private List<Tag> _tags = [];

    public int Count => _metrics.Count + _params.Count + _tags.Count;

    public bool IsEmpty => Count == 0;

    // Items arrive one at a time, so a batch is sent the moment any limit is reached and never exceeds one.
    public bool IsFull =>
        _metrics.Count >= MaxMetrics || _params.Count >= MaxParams || _tags.Count >= MaxTags || Count >= MaxItems;

    public void Add(Metric metric) => _metrics.Add(metric);

    // The same param twice in one request is rejected by MLflow even with equal values, while logging it again
    // in a later request is allowed; drop the exact repeat so a retrying caller is not punished for it.
    public void Add(Param param)
    {
        if (!_params.Contains(param))
        {
            _params.Add(param);
        }
    }

    // A later value of a tag replaces the earlier one, as two set-tag calls would.
    public void Add(Tag tag)
    {
        var index = _tags.FindIndex(t => t.Key == tag.Key);
        if (index >= 0)
        {
            _tags.RemoveAt(index);
        }

        _tags.Add(tag);
    }

    public LogBatchRequest Take()
    {
        var batch = new LogBatchRequest(runId, _metrics, _params, _tags);
        _metrics = [];
        _params = [];
        _tags = [];
        return batch;
    }

    public static IEnumerable<LogBatchRequest> Split(string runId, IEnumerable<Metric> metrics, IEnumerable<Param> parameters, IEnumerable<Tag> tags)
    {
        var builder = new LogBatchBuilder(runId);
        foreach (var param in parameters)
        {
            builder.Add(param);
            if (builder.IsFull)
            {
                yield return builder.Take();
            }
        }

        foreach (var tag in tags)
        {
            builder.Add(tag);
            if (builder.IsFull)
            {
                yield return builder.Take();
            }
        }

        foreach (var metric in metrics)
        {
            builder.Add(metric);
            if (builder.IsFull)
            {
                yield return builder.Take();
            }
        }

        if (!builder.IsEmpty)
        {
            yield return builder.Take();
        }
    }
}
