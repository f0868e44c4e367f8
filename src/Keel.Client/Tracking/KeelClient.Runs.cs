using System.Runtime.CompilerServices;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Creates a run in status <see cref="RunStatus.Running"/>.</summary>
    /// <param name="experimentId">The experiment the run belongs to.</param>
    /// <param name="runName">A display name; null lets the server make one up.</param>
    /// <param name="startTime">When the run started, in Unix epoch milliseconds; null means now.</param>
    /// <param name="tags">Tags to set on the run.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new run.</returns>
    /// <remarks><see cref="StartRunAsync"/> also ends the run and logs in the background.</remarks>
    public async Task<Run> CreateRunAsync(
        string experimentId,
        string? runName = null,
        long? startTime = null,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        var request = new CreateRunRequest(experimentId, runName, startTime ?? NowMilliseconds(), ToTags(tags));
        var response = await PostAsync(
            "runs/create", request, KeelJsonContext.Default.CreateRunRequest, KeelJsonContext.Default.RunResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>
    /// Creates a run and returns a scope that logs to it in the background and ends it when disposed.
    /// </summary>
    /// <param name="experimentId">The experiment the run belongs to.</param>
    /// <param name="runName">A display name; null lets the server make one up.</param>
    /// <param name="tags">Tags to set on the run.</param>
    /// <param name="cancellationToken">Cancels creating the run.</param>
    /// <returns>The run scope; use it with <c>await using</c>.</returns>
    /// <example>
    /// <code>
    /// await using var run = await client.StartRunAsync(experimentId, "baseline");
    /// run.LogParam("lr", "0.01");
    /// for (var step = 0; step &lt; 100; step++) run.LogMetric("loss", Train(), step);
    /// </code>
    /// </example>
    public async Task<ActiveRun> StartRunAsync(
        string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var run = await CreateRunAsync(experimentId, runName, null, tags, cancellationToken).ConfigureAwait(false);
        return new ActiveRun(this, run.Info);
    }

    /// <summary>Gets a run with its latest metrics, parameters, tags and inputs.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such run.</exception>
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var response = await GetAsync("runs/get", new QueryString().Add("run_id", runId), KeelJsonContext.Default.RunResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Run ?? throw MissingField("run");
    }

    /// <summary>Changes a run's status, end time or name; null arguments leave that field as it is.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="status">The new status.</param>
    /// <param name="endTime">When the run ended, in Unix epoch milliseconds.</param>
    /// <param name="runName">The new display name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run's metadata after the change.</returns>
    public async Task<RunInfo> UpdateRunAsync(
        string runId, RunStatus? status = null, long? endTime = null, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var response = await PostAsync(
            "runs/update", new UpdateRunRequest(runId, status, endTime, runName),
            KeelJsonContext.Default.UpdateRunRequest, KeelJsonContext.Default.UpdateRunResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.RunInfo ?? throw MissingField("run_info");
    }

    /// <summary>Marks a run deleted; <see cref="RestoreRunAsync"/> undoes it.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return PostAsync("runs/delete", new RunIdRequest(runId), KeelJsonContext.Default.RunIdRequest, cancellationToken);
    }

    /// <summary>Restores a deleted run.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has restored it.</returns>
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return PostAsync("runs/restore", new RunIdRequest(runId), KeelJsonContext.Default.RunIdRequest, cancellationToken);
    }

    /// <summary>Fetches one page of runs.</summary>
    /// <param name="query">The experiments, filter, order, page and view.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the token for the next one.</returns>
    public async Task<Page<Run>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new SearchRunsRequest(query.ExperimentIds, query.Filter, query.ViewType, query.MaxResults, query.OrderBy, query.PageToken);
        var response = await PostAsync(
            "runs/search", request, KeelJsonContext.Default.SearchRunsRequest, KeelJsonContext.Default.SearchRunsResponse, cancellationToken)
            .ConfigureAwait(false);
        return new Page<Run>(response.Runs, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Returns every run that matches, fetching pages as the caller enumerates.</summary>
    /// <param name="query">The experiments, filter, order, page size and view; its page token, if any, is where enumeration starts.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The runs, in the server's order.</returns>
    public async IAsyncEnumerable<Run> SearchAllRunsAsync(RunQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        do
        {
            var page = await SearchRunsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Items)
            {
                yield return run;
            }

            query = query with { PageToken = page.NextPageToken };
        }
        while (query.PageToken is not null);
    }
}
