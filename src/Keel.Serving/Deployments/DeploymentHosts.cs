using System.Collections.Concurrent;
using Keel.Core;
using Keel.Serving.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Serving.Deployments;

/// <summary>
/// Serves deployments inside the Keel server (<c>/deployments/{name}/invocations</c>). A deployment's models load on
/// its first request; from then on one loop follows every loaded deployment through the store, swapping revisions as
/// <c>keel serve --deployment</c> does, and drops a deployment that was deleted. Each replica follows the store on
/// its own: nothing here has to agree with another process.
/// </summary>
internal sealed class DeploymentHosts(IDeploymentSource source, IOptions<ServingOptions> options, ILogger<DeploymentHosts> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Hosted> _hosts = new(StringComparer.Ordinal);

    /// <summary>What the deployment answers with now, loading it on first use.</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST for an unknown deployment; 503 while its revision cannot load.</exception>
    public ValueTask<ServingTarget> TargetAsync(string name, CancellationToken ct)
    {
        // TryGetValue first: GetOrAdd's factory closes over this, a delegate allocated on every request otherwise.
        if (!_hosts.TryGetValue(name, out var hosted))
        {
            hosted = _hosts.GetOrAdd(name, n => new Hosted(new DeploymentFollower(source, n, options.Value.RetireAfter)));
        }

        return hosted.Current is { } current ? ValueTask.FromResult(current) : new ValueTask<ServingTarget>(FirstLoadAsync(name, hosted, ct));
    }

    private async Task<ServingTarget> FirstLoadAsync(string name, Hosted hosted, CancellationToken ct)
    {
        try
        {
            // The load is shared and outlives a caller that gives up: the next request finds it done.
            return await hosted.LoadAsync().WaitAsync(ct);
        }
        catch (DeploymentNotFoundException e)
        {
            _hosts.TryRemove(KeyValuePair.Create(name, hosted));
            throw KeelException.NotFound(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new KeelException("TEMPORARILY_UNAVAILABLE", $"Deployment '{name}' could not load its latest revision: {e.Message}", 503);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FollowInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (name, hosted) in _hosts)
                {
                    await FollowAsync(name, hosted, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync(string name, Hosted hosted, CancellationToken ct)
    {
        if (hosted.Failed)
        {
            // Forgotten, so the next request loads again: at most one attempt per interval for a deployment that cannot load.
            _hosts.TryRemove(KeyValuePair.Create(name, hosted));
            return;
        }

        if (hosted.Current is not { } current)
        {
            return;
        }

        try
        {
            await hosted.Follower.FollowOnceAsync(current, next => hosted.Current = next, logger, ct);
        }
        catch (DeploymentNotFoundException)
        {
            _hosts.TryRemove(KeyValuePair.Create(name, hosted));
            logger.LogInformation("Deployment {Deployment} was deleted; its models unload in {Delay}.", name, options.Value.RetireAfter);
            _ = Task.Delay(options.Value.RetireAfter, CancellationToken.None).ContinueWith(_ => hosted.Follower.DisposeAll(), TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not follow deployment {Deployment}: {Message}", name, e.Message);
        }
    }

    public override void Dispose()
    {
        foreach (var hosted in _hosts.Values)
        {
            hosted.Follower.DisposeAll();
        }

        base.Dispose();
    }

    private sealed class Hosted(DeploymentFollower follower)
    {
        private readonly Lock _gate = new();
        private volatile ServingTarget? _current;
        private Task<ServingTarget>? _loading;

        public DeploymentFollower Follower => follower;

        public ServingTarget? Current
        {
            get => _current;
            set => _current = value;
        }

        public bool Failed => _loading is { IsFaulted: true };

        public Task<ServingTarget> LoadAsync()
        {
            lock (_gate)
            {
                return _loading ??= LoadCoreAsync();
            }
        }

        private async Task<ServingTarget> LoadCoreAsync()
        {
            var target = await follower.LoadLatestAsync(CancellationToken.None);
            _current = target;
            return target;
        }
    }
}
