using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Keel.Serving.Batching;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving.PredictionLog;

/// <summary>One answered request, waiting to become prediction-log rows (one per input row).</summary>
internal sealed record LogEntry(
    ServedModel Model, string? Deployment, long? Revision, InputBatch Input, Scored Scored, Guid[] Ids, string? RequestKey, long LatencyMicros, long Time,
    bool Shadow = false);

/// <summary>
/// Writes the prediction log off the response path: requests are queued (bounded; a full queue drops and counts), a
/// background loop sends them to an <see cref="IPredictionLogWriter"/> in batches, retrying while the store is away. It drains the queue after the web server has stopped taking requests, so a graceful shutdown
/// loses nothing.
/// </summary>
internal sealed class PredictionLogger : IHostedLifecycleService, IDisposable
{
    private readonly Channel<LogEntry> _queue;
    private readonly ServingOptions _options;
    private readonly ServingMetrics _metrics;
    private readonly IPredictionLogWriter? _writer;
    private readonly ILogger<PredictionLogger> _logger;
    private readonly CancellationTokenSource _abandon = new();
    private Task _loop = Task.CompletedTask;
    private long _dropped;

    /// <param name="writer">Where batches go; null turns the log off.</param>
    public PredictionLogger(IOptions<ServingOptions> options, ServingMetrics metrics, ILogger<PredictionLogger> logger, IPredictionLogWriter? writer)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(_options.LogQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = writer;
    }

    public bool Enabled => _writer is not null;

    /// <summary>Queues a request's predictions; never waits. A full queue drops them and counts the drop.</summary>
    public void Enqueue(LogEntry entry)
    {
        if (_writer is null)
        {
            return;
        }

        if (_queue.Writer.TryWrite(entry))
        {
            _metrics.LogQueued.Inc();
            return;
        }

        Drop(entry.Input.Rows, "the log queue is full");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Runs after every StopAsync, the web server's included: no request can queue anything any more.
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using var registration = cancellationToken.Register(_abandon.Cancel);
        await _loop;
        if (Interlocked.Read(ref _dropped) > 0)
        {
            _logger.LogWarning("The prediction log dropped {Dropped} predictions in this process's lifetime.", Interlocked.Read(ref _dropped));
        }
    }

    public void Dispose()
    {
        _abandon.Dispose();
        (_writer as IDisposable)?.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<LogEntry>();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < _options.LogBatchSize && reader.TryRead(out var entry))
            {
                batch.Add(entry);
                rows += entry.Input.Rows;
            }

            _metrics.LogQueued.Dec(batch.Count);
            buffer.ResetWrittenCount();
            Serialize(batch, buffer);
            if (await SendAsync(buffer.WrittenMemory))
            {
                _metrics.LogWritten.Inc(rows);
            }
            else
            {
                Drop(rows, "the tracking server could not be reached before shutdown ended");
            }
        }
    }

    // Retries until the store takes the batch (re-sending is safe: rows are keyed by prediction id) or shutdown gives up.
    private async Task<bool> SendAsync(ReadOnlyMemory<byte> body)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_abandon.IsCancellationRequested)
        {
            try
            {
                await _writer!.WriteAsync(body, _abandon.Token);
                return true;
            }
            catch (PredictionLogRejectedException e)
            {
                _logger.LogError("{Message}", e.Message);
                return false;
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _logger.LogWarning("Writing the prediction log failed ({Error}); retrying.", e.Message);
            }

            try
            {
                await Task.Delay(delay, _abandon.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }

        return false;
    }

    private static void Serialize(List<LogEntry> batch, ArrayBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteStartArray("predictions");
        foreach (var entry in batch)
        {
            var inputs = entry.Input.Columns;
            var outputs = entry.Scored.Outputs;
            for (var row = 0; row < entry.Input.Rows; row++)
            {
                writer.WriteStartObject();
                writer.WriteString("prediction_id", entry.Ids[row]);
                writer.WriteString("model_name", entry.Model.Name);
                writer.WriteNumber("model_version", entry.Model.Version);
                if (entry.Deployment is not null)
                {
                    writer.WriteString("deployment", entry.Deployment);
                }

                if (entry.Revision is { } revision)
                {
                    writer.WriteNumber("revision", revision);
                }

                if (entry.RequestKey is not null)
                {
                    writer.WriteString("request_key", entry.RequestKey);
                }

                writer.WriteStartObject("inputs");
                foreach (var column in inputs)
                {
                    writer.WritePropertyName(column.Name);
                    ColumnJson.WriteRow(writer, column, row);
                }

                writer.WriteEndObject();
                writer.WriteStartObject("outputs");
                foreach (var column in outputs)
                {
                    writer.WritePropertyName(column.Name);
                    ColumnJson.WriteRow(writer, column, entry.Scored.Offset + row);
                }

                writer.WriteEndObject();
                writer.WriteNumber("latency_micros", entry.LatencyMicros);
                writer.WriteNumber("time", entry.Time);
                if (entry.Shadow)
                {
                    writer.WriteBoolean("shadow", true);
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void Drop(int rows, string reason)
    {
        _metrics.LogDropped.Inc(rows);
        // Logged on the first drop and then every 10,000, so an overload does not also flood the log.
        var before = Interlocked.Add(ref _dropped, rows) - rows;
        if (before == 0 || before / 10_000 != (before + rows) / 10_000)
        {
            _logger.LogWarning("Dropped {Rows} predictions from the log ({Total} so far): {Reason}.", rows, before + rows, reason);
        }
    }
}
