using Keel.Client;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Deployments;

/// <summary>Downloads and loads one registered model version.</summary>
internal delegate Task<ServedModel> VersionLoader(ModelVersion version, CancellationToken ct);

/// <summary>
/// Keeps a serving host on a deployment's latest revision. It polls the tracking server (the store is the one place
/// replicas agree on), loads the revision's models before swapping, so requests never wait on a load, and reports each
/// revision LIVE or FAILED; a revision that fails to load leaves the previous one answering.
/// </summary>
internal sealed class DeploymentFollower(KeelClient client, string deployment, VersionLoader load, TimeSpan interval)
{
    // Loaded versions stay loaded: a rollback then swaps back at once, and nothing in flight loses its model.
    private readonly Dictionary<(string Name, long Version), ServedModel> _loaded = [];
    private long _failed;

    public string Deployment => deployment;

    /// <summary>The deployment's latest revision, loaded; what the host starts with.</summary>
    public async Task<ServingTarget> LoadLatestAsync(CancellationToken ct)
    {
        var latest = (await client.Deployments.GetAsync(deployment, ct).ConfigureAwait(false)).Latest;
        try
        {
            var target = await LoadAsync(latest, ct).ConfigureAwait(false);
            await ReportAsync(latest.Revision, "LIVE", null, null, ct).ConfigureAwait(false);
            return target;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ReportAsync(latest.Revision, "FAILED", e.Message, null, ct).ConfigureAwait(false);
            throw;
        }
    }

    public async Task FollowAsync(ModelHost host, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
                if (host.Current is not { } current)
                {
                    continue;
                }

                var latest = (await client.Deployments.GetAsync(deployment, ct).ConfigureAwait(false)).Latest;
                if (latest.Revision == current.Revision || latest.Revision == _failed)
                {
                    continue;
                }

                ServingTarget next;
                try
                {
                    next = await LoadAsync(latest, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _failed = latest.Revision;
                    logger.LogError("Revision {Revision} of deployment {Deployment} did not load; still serving revision {Current}: {Message}",
                        latest.Revision, deployment, current.Revision, e.Message);
                    await ReportAsync(latest.Revision, "FAILED", e.Message, logger, ct).ConfigureAwait(false);
                    continue;
                }

                host.Swap(next);
                await ReportAsync(latest.Revision, "LIVE", null, logger, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or KeelApiException or TaskCanceledException)
            {
                // The tracking server being away does not stop serving; the next poll tries again.
                logger.LogWarning("Could not read deployment {Deployment}: {Message}", deployment, e.Message);
            }
        }
    }

    private async Task<ServingTarget> LoadAsync(DeploymentRevision revision, CancellationToken ct)
    {
        var primary = await LoadModelAsync(revision.Model, ct).ConfigureAwait(false);
        var canary = revision.Canary is { } c ? await LoadModelAsync(c.Model, ct).ConfigureAwait(false) : null;
        var shadow = revision.Shadow is { } s ? await LoadModelAsync(s, ct).ConfigureAwait(false) : null;
        return new ServingTarget(primary, canary, revision.Canary?.Percent ?? 0, deployment, revision.Revision, shadow);
    }

    private async Task<ServedModel> LoadModelAsync(string uri, CancellationToken ct)
    {
        var version = await client.ResolveModelUriAsync(uri, ct).ConfigureAwait(false);
        if (_loaded.TryGetValue((version.Name, version.Version), out var model))
        {
            return model;
        }

        model = await load(version, ct).ConfigureAwait(false);
        Warm(model);
        _loaded[(version.Name, version.Version)] = model;
        return model;
    }

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

    private async Task ReportAsync(long revision, string status, string? message, ILogger? logger, CancellationToken ct)
    {
        try
        {
            await client.Deployments.SetRevisionStatusAsync(deployment, revision, status, message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or KeelApiException)
        {
            logger?.LogWarning("Could not report revision {Revision} of deployment {Deployment} as {Status}: {Message}", revision, deployment, status, e.Message);
        }
    }
}
