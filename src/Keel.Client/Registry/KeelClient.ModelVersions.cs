using System.Runtime.CompilerServices;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Registers a new version of a model.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="source">
    /// Where the model's files are: <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c> for files a run logged (the version is then linked to the run),
    /// a <c>models:/</c> URI to copy another version, or a location in another store such as <c>s3://...</c>.
    /// </param>
    /// <param name="runId">The run that produced the model, when <paramref name="source"/> does not name it.</param>
    /// <param name="description">A description of the version.</param>
    /// <param name="tags">Tags to set on the version.</param>
    /// <param name="runLink">A link to the run in another system.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new version, numbered one past the model's highest.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if the model or the source's run does not exist.</exception>
    public async Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string? runId = null,
        string? description = null,
        IReadOnlyDictionary<string, string>? tags = null,
        string? runLink = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var response = await PostAsync(
            "model-versions/create", new CreateModelVersionRequest(name, source, runId, ToTags(tags), runLink, description),
            KeelJsonContext.Default.CreateModelVersionRequest, KeelJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Gets one version of a model.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such model or version.</exception>
    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await GetAsync(
            "model-versions/get", new QueryString().Add("name", name).Add("version", VersionText(version)), KeelJsonContext.Default.ModelVersionResponse,
            cancellationToken).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Fetches one page of model versions.</summary>
    /// <param name="query">The filter, order and page; null returns the first page of all versions.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the token for the next one.</returns>
    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ModelVersionQuery();
        var response = await GetAsync(
            "model-versions/search", SearchQuery(query.Filter, query.MaxResults, query.OrderBy, query.PageToken),
            KeelJsonContext.Default.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return new Page<ModelVersion>(response.ModelVersions, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Returns every model version that matches, fetching pages as the caller enumerates.</summary>
    /// <param name="query">The filter, order and page size; null returns all versions.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The versions, in the server's order.</returns>
    public async IAsyncEnumerable<ModelVersion> SearchAllModelVersionsAsync(
        ModelVersionQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new ModelVersionQuery();
        do
        {
            var page = await SearchModelVersionsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var version in page.Items)
            {
                yield return version;
            }

            query = query with { PageToken = page.NextPageToken };
        }
        while (query.PageToken is not null);
    }

    /// <summary>Changes a version's description.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="description">The new description; null clears it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version after the change.</returns>
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await SendJsonAsync(
            HttpMethod.Patch, "model-versions/update", new ModelVersionRequest(name, VersionText(version), description),
            KeelJsonContext.Default.ModelVersionRequest, KeelJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Deletes a version with its tags and the aliases pointing at it; its number is not reused.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public async Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var response = await SendJsonAsync(
            HttpMethod.Delete, "model-versions/delete", new ModelVersionRequest(name, VersionText(version)), KeelJsonContext.Default.ModelVersionRequest,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a tag on a version, replacing any value it had.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag's name, such as <see cref="ModelCard.IntendedUseTag"/>.</param>
    /// <param name="value">The tag's value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored it.</returns>
    public Task SetModelVersionTagAsync(string name, long version, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return PostAsync(
            "model-versions/set-tag", new ModelVersionTagRequest(name, VersionText(version), key, value), KeelJsonContext.Default.ModelVersionTagRequest,
            cancellationToken);
    }

    /// <summary>Deletes a tag of a version; deleting a tag that is not there is not an error.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public async Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var response = await SendJsonAsync(
            HttpMethod.Delete, "model-versions/delete-tag", new ModelVersionTagRequest(name, VersionText(version), key, null),
            KeelJsonContext.Default.ModelVersionTagRequest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a version to another stage.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="stage">The target stage, one of <see cref="ModelStages"/>.</param>
    /// <param name="archiveExistingVersions">Also move the versions now in that stage to Archived (Staging and Production only).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version after the transition.</returns>
    public async Task<ModelVersion> TransitionModelVersionStageAsync(
        string name, long version, string stage, bool archiveExistingVersions = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        var response = await PostAsync(
            "model-versions/transition-stage", new TransitionStageRequest(name, VersionText(version), stage, archiveExistingVersions),
            KeelJsonContext.Default.TransitionStageRequest, KeelJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Gets where a version's files can be downloaded from, such as <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts/model</c>.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The artifact URI.</returns>
    public async Task<string> GetModelVersionDownloadUriAsync(string name, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await GetAsync(
            "model-versions/get-download-uri", new QueryString().Add("name", name).Add("version", VersionText(version)),
            KeelJsonContext.Default.DownloadUriResponse, cancellationToken).ConfigureAwait(false);
        return response.ArtifactUri ?? throw MissingField("artifact_uri");
    }

    /// <summary>
    /// Finds the version a <c>models:/</c> URI names: <c>models:/name/3</c>, <c>models:/name@champion</c>,
    /// <c>models:/name/Production</c> (the latest version in that stage) or <c>models:/name/latest</c>.
    /// </summary>
    /// <param name="modelUri">The URI.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The version.</returns>
    /// <exception cref="FormatException">The text is not a <c>models:/</c> URI.</exception>
    /// <exception cref="KeelApiException">
    /// <c>RESOURCE_DOES_NOT_EXIST</c> if the model, version or alias does not exist or no version is in the stage.
    /// </exception>
    public Task<ModelVersion> ResolveModelUriAsync(string modelUri, CancellationToken cancellationToken = default) =>
        ResolveAsync(ModelUri.Parse(modelUri), cancellationToken);

    private async Task<ModelVersion> ResolveAsync(ModelUri modelUri, CancellationToken cancellationToken)
    {
        if (modelUri.Version is { } version)
        {
            return await GetModelVersionAsync(modelUri.Name, version, cancellationToken).ConfigureAwait(false);
        }

        if (modelUri.Alias is { } alias)
        {
            try
            {
                return await GetModelVersionByAliasAsync(modelUri.Name, alias, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.InvalidParameterValue)
            {
                // MLflow answers an unknown alias (or an unknown model's alias) with INVALID_PARAMETER_VALUE; for a URI
                // that names something, "not there" is what callers switch on. The model's own 404 says which is missing.
                await GetRegisteredModelAsync(modelUri.Name, cancellationToken).ConfigureAwait(false);
                throw new KeelApiException(
                    KeelErrorCodes.ResourceDoesNotExist, $"Registered model '{modelUri.Name}' has no alias '{alias}'.", System.Net.HttpStatusCode.NotFound);
            }
        }

        var latest = await GetLatestModelVersionsAsync(modelUri.Name, modelUri.Stage is { } stage ? [stage] : null, cancellationToken)
            .ConfigureAwait(false);
        return latest.MaxBy(v => v.Version) ?? throw new KeelApiException(
            KeelErrorCodes.ResourceDoesNotExist,
            modelUri.Stage is null
                ? $"Registered model '{modelUri.Name}' has no versions."
                : $"Registered model '{modelUri.Name}' has no version in stage '{modelUri.Stage}'.",
            System.Net.HttpStatusCode.NotFound);
    }
}
