using System.Diagnostics;
using System.Threading.Channels;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Microsoft.Extensions.Options;

namespace Keel.Serving.Batching;

/// <summary>A request's share of a coalesced model call: its rows are <c>[Offset, Offset + Rows)</c> of the outputs.</summary>
internal sealed record Scored(Column[] Outputs, int Offset, int Rows);

/// <summary>
/// Coalesces concurrent requests into one model call of up to <see cref="ServingOptions.MaxBatch"/> rows. It waits (at
/// most <see cref="ServingOptions.MaxDelay"/> after the first request) only while other requests are known to be on
/// their way in; a lone request is scored at once, so light load pays nothing for batching.
/// </summary>
internal sealed class Batcher : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxBatch;
    private readonly long _maxDelayTicks;
    private readonly ServingMetrics _metrics;
    private readonly Task _loop;
    private int _arriving;

    public Batcher(IOptions<ServingOptions> options, ServingMetrics metrics)
    {
        _maxBatch = options.Value.MaxBatch;
        _maxDelayTicks = (long)(options.Value.MaxDelay.TotalSeconds * Stopwatch.Frequency);
        _metrics = metrics;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>A request has started to arrive; the batcher may wait for it. Pair with <see cref="Arrived"/>.</summary>
    public void Arriving() => Interlocked.Increment(ref _arriving);

    public void Arrived() => Interlocked.Decrement(ref _arriving);

    public Task<Scored> ScoreAsync(ServedModel model, InputBatch input)
    {
        var pending = new Pending(model, input, Stopwatch.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ScoringException("The server is shutting down.", 503);
        }

        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            if (!reader.TryRead(out var first))
            {
                continue;
            }

            batch.Clear();
            batch.Add(first);
            var rows = first.Input.Rows;
            var deadline = first.Enqueued + _maxDelayTicks;
            while (rows < _maxBatch)
            {
                while (rows < _maxBatch && reader.TryPeek(out var next) && next.Model == first.Model && rows + next.Input.Rows <= _maxBatch)
                {
                    reader.TryRead(out next);
                    batch.Add(next!);
                    rows += next!.Input.Rows;
                }

                var remaining = deadline - Stopwatch.GetTimestamp();
                // Something queued that cannot join (another model, too many rows) goes in the next call.
                if (rows >= _maxBatch || reader.TryPeek(out _) || Volatile.Read(ref _arriving) == 0 || remaining <= 0)
                {
                    break;
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
                try
                {
                    await reader.WaitToReadAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            Run(batch, rows);
        }
    }

    private void Run(List<Pending> batch, int rows)
    {
        var model = batch[0].Model;
        try
        {
            var input = InputBatch.Concat(batch, p => p.Input, rows);
            var outputs = model.Predict(input);
            _metrics.For(model).BatchRows.Observe(rows);
            var offset = 0;
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(new Scored(outputs, offset, pending.Input.Rows));
                offset += pending.Input.Rows;
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed class Pending(ServedModel model, InputBatch input, long enqueued)
    {
        public ServedModel Model { get; } = model;

        public InputBatch Input { get; } = input;

        public long Enqueued { get; } = enqueued;

        // Continuations run off the batcher's loop, which goes straight back to coalescing.
        public TaskCompletionSource<Scored> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
