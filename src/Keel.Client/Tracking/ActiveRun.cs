using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Keel.Client;

/// <summary>
/// A run in progress, from <see cref="KeelClient.StartRunAsync"/>. Logging methods only queue the value;
/// a background loop sends queued values in <c>log-batch</c> requests. Disposing flushes the queue and
/// ends the run as <see cref="RunStatus.Finished"/>, or <see cref="RunStatus.Failed"/> after <see cref="MarkFailed"/>.
/// </summary>
/// <remarks>
/// If a background request fails, nothing queued after it is sent: <see cref="FlushAsync"/> and
/// <see cref="DisposeAsync"/> throw that failure, and disposing ends the run as failed, since its record is incomplete.
/// The logging methods are thread-safe.
/// </remarks>
public sealed class ActiveRun : IAsyncDisposable
{
    private readonly KeelClient _client;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sender;
    private volatile ExceptionDispatchInfo? _failure;
    private volatile bool _markedFailed;
    private int _disposed;

    internal ActiveRun(KeelClient client, RunInfo info)
    {
        _client = client;
        Info = info;
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>The run's id.</summary>
    public string RunId => Info.RunId;

    /// <summary>The run's metadata as it was when the run was created.</summary>
    public RunInfo Info { get; }

    /// <summary>Queues one value of a metric, timestamped now.</summary>
    /// <param name="key">The metric's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">The training step the value belongs to.</param>
    /// <exception cref="ObjectDisposedException">The run has been disposed.</exception>
    public void LogMetric(string key, double value, long step = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Enqueue(new Metric(key, value, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step));
    }

    /// <summary>Queues a parameter.</summary>
    /// <param name="key">The parameter's name.</param>
    /// <param name="value">The parameter's value.</param>
    /// <exception cref="ObjectDisposedException">The run has been disposed.</exception>
    public void LogParam(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        Enqueue(new Param(key, value));
    }

    /// <summary>Queues a tag; a later value for the same key replaces an earlier one.</summary>
    /// <param name="key">The tag's name.</param>
    /// <param name="value">The tag's value.</param>
    /// <exception cref="ObjectDisposedException">The run has been disposed.</exception>
    public void SetTag(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        Enqueue(new Tag(key, value));
    }

    /// <summary>Logs an ONNX file as an MLflow model package of this run; see <see cref="KeelClient.LogOnnxModelAsync"/>.</summary>
    /// <param name="onnxFile">The ONNX model file.</param>
    /// <param name="artifactPath">The package's directory under the run's artifact root.</param>
    /// <param name="signature">The model's inputs and outputs; null infers tensor specs from the graph.</param>
    /// <param name="inputExample">A few rows of valid input; null saves none.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What was logged.</returns>
    public Task<LoggedModel> LogOnnxModelAsync(
        string onnxFile, string artifactPath = "model", ModelSignature? signature = null, ModelInputExample? inputExample = null,
        CancellationToken cancellationToken = default) =>
        _client.LogOnnxModelAsync(RunId, onnxFile, artifactPath, signature, inputExample, cancellationToken);

    // Keel.Client.ML's extension methods log packages through the run's client.
    internal KeelClient Client => _client;

    /// <summary>Makes disposing end the run as <see cref="RunStatus.Failed"/> instead of <see cref="RunStatus.Finished"/>.</summary>
    public void MarkFailed() => _markedFailed = true;

    /// <summary>Waits until everything queued before this call has been sent.</summary>
    /// <param name="cancellationToken">Stops waiting; the values are still sent.</param>
    /// <returns>A task that completes when the values are on the server.</returns>
    /// <exception cref="KeelApiException">A background request failed (or <see cref="HttpRequestException"/> if the server was unreachable).</exception>
    /// <exception cref="ObjectDisposedException">The run has been disposed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new FlushMarker();
        Enqueue(marker);
        await marker.Sent.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _failure?.Throw();
    }

    /// <summary>Sends everything queued, then ends the run with its end time and status.</summary>
    /// <returns>A task that completes when the run has ended.</returns>
    /// <exception cref="KeelApiException">A background request or ending the run failed.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _sender.ConfigureAwait(false);

        var failure = _failure;
        var status = _markedFailed || failure is not null ? RunStatus.Failed : RunStatus.Finished;
        try
        {
            await _client.UpdateRunAsync(RunId, status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        }
        catch (Exception) when (failure is not null)
        {
            // The logging failure came first and usually explains this one (same server, same outage);
            // it is the one rethrown below.
        }

        failure?.Throw();
    }

    private void Enqueue(object item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(ActiveRun), $"Run {RunId} has ended; nothing more can be logged to it through this scope.");
        }
    }

    // Values that queue up while a request is in flight go out together in the next one, so a tight
    // training loop makes few large requests and a slow one makes small, timely ones.
    private async Task SendLoopAsync()
    {
        var batch = new LogBatchBuilder(RunId);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                switch (item)
                {
                    case FlushMarker marker:
                        await SendAsync(batch).ConfigureAwait(false);
                        marker.Sent.TrySetResult();
                        continue;
                    case Metric metric:
                        batch.Add(metric);
                        break;
                    case Param param:
                        batch.Add(param);
                        break;
                    case Tag tag:
                        batch.Add(tag);
                        break;
                }

                if (batch.IsFull)
                {
                    await SendAsync(batch).ConfigureAwait(false);
                }
            }

            await SendAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(LogBatchBuilder batch)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        var request = batch.Take();
        if (_failure is not null)
        {
            return;
        }

        try
        {
            await _client.SendBatchAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Kept, not swallowed: FlushAsync and DisposeAsync rethrow it with its original stack.
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
    }

    private sealed class FlushMarker
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
