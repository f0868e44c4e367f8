using System.Diagnostics;
using System.Threading.Channels;
using Keel.Serving.Batching;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Keel.Serving.PredictionLog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving.Shadow;

/// <summary>A request already answered by the primary or canary, to be scored again by the revision's shadow.</summary>
internal sealed record ShadowRequest(ServedModel Model, string? Deployment, long? Revision, InputBatch Input, string RequestKey);

/// <summary>
/// Scores copies of answered requests with a deployment's shadow model and sends its answers to the prediction log
/// (shadow = true), off the response path: a bounded queue that drops and counts under overload, one loop that
/// coalesces queued requests into model calls on its own thread, so the shadow never delays or fails a response.
/// </summary>
internal sealed class ShadowScorer : IHostedLifecycleService
{
    private readonly Channel<ShadowRequest> _queue;
    private readonly int _maxBatch;
    private readonly ServingMetrics _metrics;
    private readonly PredictionLogger _log;
    private readonly ILogger<ShadowScorer> _logger;
    private Task _loop = Task.CompletedTask;
    private long _dropped;
    private long _failed;

    public ShadowScorer(IOptions<ServingOptions> options, ServingMetrics metrics, PredictionLogger log, ILogger<ShadowScorer> logger)
    {
        _maxBatch = options.Value.MaxBatch;
        _metrics = metrics;
        _log = log;
        _logger = logger;
        _queue = Channel.CreateBounded<ShadowRequest>(new BoundedChannelOptions(options.Value.ShadowQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a copy of an answered request; never waits. A full queue drops it and counts the drop.</summary>
    public void Enqueue(ShadowRequest request)
    {
        if (!_queue.Writer.TryWrite(request))
        {
            _metrics.ShadowDropped.Inc(request.Input.Rows);
            if (Interlocked.Increment(ref _dropped) % 10_000 == 1)
            {
                _logger.LogWarning("The shadow queue is full; dropped {Dropped} shadow requests so far.", Interlocked.Read(ref _dropped));
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // After the web server has stopped: what is queued is scored and handed to the prediction log, which drains after us.
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<ShadowRequest>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            if (!reader.TryRead(out var first))
            {
                continue;
            }

            batch.Clear();
            batch.Add(first);
            var rows = first.Input.Rows;
            while (rows < _maxBatch && reader.TryPeek(out var next) && next.Model == first.Model && rows + next.Input.Rows <= _maxBatch)
            {
                reader.TryRead(out next);
                batch.Add(next!);
                rows += next!.Input.Rows;
            }

            Score(batch, rows);
        }
    }

    private void Score(List<ShadowRequest> batch, int rows)
    {
        var model = batch[0].Model;
        var started = Stopwatch.GetTimestamp();
        Column[] outputs;
        try
        {
            outputs = model.Predict(InputBatch.Concat(batch, r => r.Input, rows));
        }
        catch (Exception e)
        {
            // A shadow whose schema differs from the primary's, or that cannot score, costs its own answers only.
            _metrics.ShadowFailed.Inc(rows);
            if (Interlocked.Increment(ref _failed) % 10_000 == 1)
            {
                _logger.LogWarning("Shadow {Model} version {Version} failed to score ({Failed} batches so far): {Message}",
                    model.Name, model.Version, Interlocked.Read(ref _failed), e.Message);
            }

            return;
        }

        var micros = (long)(Stopwatch.GetElapsedTime(started).Ticks / (double)TimeSpan.TicksPerMicrosecond);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var offset = 0;
        foreach (var request in batch)
        {
            var ids = new Guid[request.Input.Rows];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = Guid.CreateVersion7();
            }

            _log.Enqueue(new LogEntry(model, request.Deployment, request.Revision, request.Input, new Scored(outputs, offset, request.Input.Rows),
                ids, request.RequestKey, micros, now, Shadow: true));
            offset += request.Input.Rows;
        }
    }
}
