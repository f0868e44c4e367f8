using Keel.Core.Registry;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Deployments;

/// <summary>
/// Keeps a serving target on a deployment's latest revision, read from an <see cref="IDeploymentSource"/> (the store is
/// the one place replicas agree on). It loads and warms the revision's models before swapping, so requests never wait
/// on a load, and reports each revision LIVE or FAILED; a revision that fails to load leaves the previous one answering.
/// A revision's models are the versions it resolved to when it was made, so every replica serves the same ones.
/// </summary>
internal sealed class DeploymentFollower(IDeploymentSource source, string deployment, TimeSpan retireAfter)
{
    // A version no revision being served uses is kept for retireAfter: a quick rollback swaps back at once, and
    // requests still scoring with it finish before it is disposed.
    private readonly Dictionary<(string Name, long Version), Loaded> _loaded = [];
    private long _failed;

    public string Deployment => deployment;

    /// <summary>The deployment's latest revision, loaded; what a host starts with.</summary>
    /// <exception cref="DeploymentNotFoundException">The deployment does not exist.</exception>
    public async Task<ServingTarget> LoadLatestAsync(CancellationToken ct)
    {
        var latest = await source.LatestAsync(deployment, ct).ConfigureAwait(false) ?? throw new DeploymentNotFoundException(deployment);
        ServingTarget target;
        try
        {
            target = await LoadAsync(latest, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = latest.Revision;
            await ReportAsync(latest.Revision, "FAILED", e.Message, null, ct).ConfigureAwait(false);
            throw;
        }

        Retire(target);
        await ReportAsync(latest.Revision, "LIVE", null, null, ct).ConfigureAwait(false);
        return target;
    }

    /// <summary>
    /// Moves to the deployment's latest revision if it is new: loads it, then <paramref name="swap"/>s and reports it LIVE.
    /// A revision that does not load is reported FAILED and not tried again.
    /// </summary>
    /// <exception cref="DeploymentNotFoundException">The deployment was deleted.</exception>
    public async Task FollowOnceAsync(ServingTarget current, Action<ServingTarget> swap, ILogger logger, CancellationToken ct)
    {
        DisposeRetired();
        var latest = await source.LatestAsync(deployment, ct).ConfigureAwait(false) ?? throw new DeploymentNotFoundException(deployment);
        if (latest.Revision == current.Revision || latest.Revision == _failed)
        {
            return;
        }

        ServingTarget next;
        try
        {
            next = await LoadAsync(latest, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = latest.Revision;
            Retire(current);
            logger.LogError("Revision {Revision} of deployment {Deployment} did not load; still serving revision {Current}: {Message}",
                latest.Revision, deployment, current.Revision, e.Message);
            await ReportAsync(latest.Revision, "FAILED", e.Message, logger, ct).ConfigureAwait(false);
            return;
        }

        swap(next);
        Retire(next);
        await ReportAsync(latest.Revision, "LIVE", null, logger, ct).ConfigureAwait(false);
    }

    /// <summary><c>keel serve --deployment</c>'s loop: follow every <paramref name="interval"/> until stopped.</summary>
    public async Task FollowAsync(ModelHost host, TimeSpan interval, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
                if (host.Current is { } current)
                {
                    await FollowOnceAsync(current, host.Swap, logger, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The tracking server being away (or the deployment deleted) does not stop serving; the next poll tries again.
                logger.LogWarning("Could not follow deployment {Deployment}: {Message}", deployment, e.Message);
            }
        }
    }

    /// <summary>Disposes every loaded model; for a host that stopped serving the deployment, once its requests are done.</summary>
    public void DisposeAll()
    {
        foreach (var loaded in _loaded.Values)
        {
            loaded.Model.Dispose();
        }

        _loaded.Clear();
    }

    private async Task<ServingTarget> LoadAsync(FollowedRevision revision, CancellationToken ct)
    {
        var primary = await LoadModelAsync(revision.Model, ct).ConfigureAwait(false);
        var canary = revision.Canary is { } c ? await LoadModelAsync(c, ct).ConfigureAwait(false) : null;
        var shadow = revision.Shadow is { } s ? await LoadModelAsync(s, ct).ConfigureAwait(false) : null;
        return new ServingTarget(primary, canary, revision.CanaryPercent, deployment, revision.Revision, shadow);
    }

    private async Task<ServedModel> LoadModelAsync(ServedUri uri, CancellationToken ct)
    {
        var (name, version) = uri.Version is { } resolved && ModelUri.Parse(uri.Uri) is { } parsed && NameOf(parsed) is { } modelName
            ? (modelName, resolved)
            : await source.ResolveAsync(uri.Uri, ct).ConfigureAwait(false);
        if (_loaded.TryGetValue((name, version), out var loaded))
        {
            return loaded.Model;
        }

        var model = await source.LoadAsync(name, version, ct).ConfigureAwait(false);
        try
        {
            Warm(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        _loaded[(name, version)] = new Loaded(model);
        return model;
    }

    private static string? NameOf(ModelUri uri) => uri switch
    {
        ModelUri.ModelVersion v => v.Name,
        ModelUri.ModelAlias a => a.Name,
        ModelUri.ModelStage s => s.Name,
        _ => null,
    };

    /// <summary>
    /// Scores one row of defaults, so the first real requests after the swap do not pay for lazy initialisation, and a
    /// model that cannot score a well-formed row fails its revision instead of the requests.
    /// </summary>
    private static void Warm(ServedModel model)
    {
        var columns = new Column[model.Inputs.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var builder = new ColumnBuilder(model.Inputs.Fields[i]);
            builder.AddDefaultRow();
            columns[i] = builder.Build();
        }

        model.Predict(new InputBatch(columns, 1));
    }

    private void Retire(ServingTarget serving)
    {
        var now = Environment.TickCount64;
        foreach (var loaded in _loaded.Values)
        {
            var used = loaded.Model == serving.Primary || loaded.Model == serving.Canary || loaded.Model == serving.Shadow;
            loaded.RetiredAt = used ? null : loaded.RetiredAt ?? now;
        }
    }

    private void DisposeRetired()
    {
        var cutoff = Environment.TickCount64 - (long)retireAfter.TotalMilliseconds;
        foreach (var (key, loaded) in _loaded.Where(l => l.Value.RetiredAt <= cutoff).ToList())
        {
            loaded.Model.Dispose();
            _loaded.Remove(key);
        }
    }

    private async Task ReportAsync(long revision, string status, string? message, ILogger? logger, CancellationToken ct)
    {
        try
        {
            await source.ReportAsync(deployment, revision, status, message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger?.LogWarning("Could not report revision {Revision} of deployment {Deployment} as {Status}: {Message}", revision, deployment, status, e.Message);
        }
    }

    private sealed class Loaded(ServedModel model)
    {
        public ServedModel Model { get; } = model;

        // Environment.TickCount64 when no served revision used it any more; null while one does.
        public long? RetiredAt { get; set; }
    }
}
