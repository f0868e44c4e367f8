using System.Collections.Concurrent;
using Keel.Core.Deployments;
using Keel.Serving.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving.Traffic;

/// <summary>
/// Counts each deployment's answered and failed requests and their latencies per minute and model version, and every
/// few seconds (<see cref="ServingOptions.TrafficFlushInterval"/>) adds what was counted since the last flush to the
/// store's totals through an <see cref="ITrafficWriter"/>. Counters only grow and a flush sends the difference from
/// what it sent before, so recording takes no lock and loses no increment racing a flush. A crash loses at most one
/// interval: these are metrics; the prediction log is the record of what was answered.
/// </summary>
internal sealed class TrafficRecorder(IOptions<ServingOptions> options, ITrafficWriter? writer, ILogger<TrafficRecorder> logger)
    : IHostedLifecycleService, IDisposable
{
    // A minute's counters stay this long after the minute ends, for requests that finish late and the flush after them.
    private static readonly TimeSpan Linger = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Key, Counters> _counters = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Answered(string deployment, ServedModel model, TimeSpan latency) =>
        CountersOf(deployment, model).Answered(TrafficMinute.BucketOf(latency.TotalMilliseconds));

    public void Failed(string deployment, ServedModel model) => CountersOf(deployment, model).Failed();

    private Counters CountersOf(string deployment, ServedModel model)
    {
        var minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        return _counters.GetOrAdd(new Key(deployment, minute, model.Name, model.Version), _ => new Counters());
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (writer is not null)
        {
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>After the web server has stopped answering: one last flush of what it answered.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        if (writer is not null)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.Value.TrafficFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await FlushAsync(_stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var byDeployment = new Dictionary<string, List<(Key Key, Counters Counters, Snapshot Taken)>>();
        foreach (var (key, counters) in _counters)
        {
            var taken = counters.Take();
            if (taken.IsEmpty)
            {
                if (now - key.Minute > Linger.TotalMilliseconds + 60_000)
                {
                    _counters.TryRemove(key, out _);
                }

                continue;
            }

            if (!byDeployment.TryGetValue(key.Deployment, out var list))
            {
                byDeployment[key.Deployment] = list = [];
            }

            list.Add((key, counters, taken));
        }

        foreach (var (deployment, minutes) in byDeployment)
        {
            try
            {
                await writer!.AddAsync(deployment, minutes.Select(m => new TrafficMinute(
                    deployment, m.Key.Minute, m.Key.ModelName, m.Key.ModelVersion, m.Taken.Requests, m.Taken.Errors, m.Taken.Buckets)).ToList(), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Given back, so the next flush sends them with whatever came since.
                foreach (var m in minutes)
                {
                    m.Counters.GiveBack(m.Taken);
                }

                logger.LogWarning("Could not add traffic counts of deployment {Deployment}; retrying with the next flush: {Message}", deployment, e.Message);
            }
        }
    }

    private sealed record Key(string Deployment, long Minute, string ModelName, long ModelVersion);

    private sealed record Snapshot(long Requests, long Errors, long[] Buckets)
    {
        public bool IsEmpty => Requests == 0 && Errors == 0;
    }

    /// <summary>Monotonic counts and what flushes have taken of them; only the flush loop takes or gives back.</summary>
    private sealed class Counters
    {
        private readonly long[] _buckets = new long[TrafficMinute.Buckets];
        private readonly long[] _takenBuckets = new long[TrafficMinute.Buckets];
        private long _errors;
        private long _takenErrors;

        public void Answered(int bucket) => Interlocked.Increment(ref _buckets[bucket]);

        public void Failed() => Interlocked.Increment(ref _errors);

        public Snapshot Take()
        {
            var buckets = new long[_buckets.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                var now = Interlocked.Read(ref _buckets[i]);
                buckets[i] = now - _takenBuckets[i];
                _takenBuckets[i] = now;
            }

            var errors = Interlocked.Read(ref _errors);
            var taken = new Snapshot(buckets.Sum(), errors - _takenErrors, buckets);
            _takenErrors = errors;
            return taken;
        }

        public void GiveBack(Snapshot taken)
        {
            for (var i = 0; i < _takenBuckets.Length; i++)
            {
                _takenBuckets[i] -= taken.Buckets[i];
            }

            _takenErrors -= taken.Errors;
        }
    }
}
