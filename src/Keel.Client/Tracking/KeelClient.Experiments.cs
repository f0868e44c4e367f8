using System.Runtime.CompilerServices;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Creates an experiment.</summary>
    /// <param name="name">A name no other experiment has.</param>
    /// <param name="artifactLocation">Where to store its artifacts; null lets the server choose.</param>
    /// <param name="tags">Tags to set on the experiment.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new experiment's id.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_ALREADY_EXISTS</c> if the name is taken.</exception>
    public async Task<string> CreateExperimentAsync(
        string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var request = new CreateExperimentRequest(name, artifactLocation, ToTags(tags));
        var response = await PostAsync(
            "experiments/create", request, KeelJsonContext.Default.CreateExperimentRequest, KeelJsonContext.Default.CreateExperimentResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.ExperimentId;
    }

    /// <summary>Gets an experiment by id, including a deleted one.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such experiment.</exception>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        var response = await GetAsync(
            "experiments/get", new QueryString().Add("experiment_id", experimentId), KeelJsonContext.Default.ExperimentResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Experiment ?? throw MissingField("experiment");
    }

    /// <summary>Gets an experiment by name; an active experiment wins over a deleted one of the same name.</summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such experiment.</exception>
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await GetAsync(
            "experiments/get-by-name", new QueryString().Add("experiment_name", name), KeelJsonContext.Default.ExperimentResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Experiment ?? throw MissingField("experiment");
    }

    /// <summary>Fetches one page of experiments.</summary>
    /// <param name="query">The filter, order, page and view; null returns the first page of active experiments.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the token for the next one.</returns>
    public async Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ExperimentQuery();
        var request = new SearchExperimentsRequest(query.MaxResults, query.PageToken, query.Filter, query.OrderBy, query.ViewType);
        var response = await PostAsync(
            "experiments/search", request, KeelJsonContext.Default.SearchExperimentsRequest, KeelJsonContext.Default.SearchExperimentsResponse, cancellationToken)
            .ConfigureAwait(false);
        return new Page<Experiment>(response.Experiments, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Returns every experiment that matches, fetching pages as the caller enumerates.</summary>
    /// <param name="query">The filter, order, page size and view; its page token, if any, is where enumeration starts.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The experiments, in the server's order.</returns>
    public async IAsyncEnumerable<Experiment> SearchAllExperimentsAsync(
        ExperimentQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new ExperimentQuery();
        do
        {
            var page = await SearchExperimentsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var experiment in page.Items)
            {
                yield return experiment;
            }

            query = query with { PageToken = page.NextPageToken };
        }
        while (query.PageToken is not null);
    }

    /// <summary>Renames an experiment.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="newName">A name no other experiment has.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has renamed it.</returns>
    public Task UpdateExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(newName);
        return PostAsync(
            "experiments/update", new UpdateExperimentRequest(experimentId, newName), KeelJsonContext.Default.UpdateExperimentRequest, cancellationToken);
    }

    /// <summary>Marks an experiment and its runs deleted; <see cref="RestoreExperimentAsync"/> undoes it.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        return PostAsync("experiments/delete", new ExperimentIdRequest(experimentId), KeelJsonContext.Default.ExperimentIdRequest, cancellationToken);
    }

    /// <summary>Restores a deleted experiment and its runs.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has restored it.</returns>
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        return PostAsync("experiments/restore", new ExperimentIdRequest(experimentId), KeelJsonContext.Default.ExperimentIdRequest, cancellationToken);
    }

    /// <summary>Sets a tag on an experiment, replacing any value it had.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="value">The tag's value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored the tag.</returns>
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return PostAsync(
            "experiments/set-experiment-tag", new SetExperimentTagRequest(experimentId, key, value),
            KeelJsonContext.Default.SetExperimentTagRequest, cancellationToken);
    }

    private static List<Tag>? ToTags(IReadOnlyDictionary<string, string>? tags) =>
        tags?.Select(tag => new Tag(tag.Key, tag.Value)).ToList();

    // MLflow servers send "" rather than leaving the token out on the last page.
    private static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;

    private static KeelApiException MissingField(string field) =>
        new($"The tracking server's answer has no '{field}' field.");
}
