using System.Globalization;
using System.Runtime.CompilerServices;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Creates a registered model.</summary>
    /// <param name="name">A name no other model has; names are case-sensitive.</param>
    /// <param name="description">A description of the model.</param>
    /// <param name="tags">Tags to set on the model.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new model.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_ALREADY_EXISTS</c> if the name is taken.</exception>
    public async Task<RegisteredModel> CreateRegisteredModelAsync(
        string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await PostAsync(
            "registered-models/create", new CreateRegisteredModelRequest(name, ToTags(tags), description),
            KeelJsonContext.Default.CreateRegisteredModelRequest, KeelJsonContext.Default.RegisteredModelResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Gets a registered model with its latest version per stage, tags and aliases.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The model.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such model.</exception>
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await GetAsync("registered-models/get", new QueryString().Add("name", name), KeelJsonContext.Default.RegisteredModelResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Fetches one page of registered models.</summary>
    /// <param name="query">The filter, order and page; null returns the first page of all models.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the token for the next one.</returns>
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new RegisteredModelQuery();
        var response = await GetAsync(
            "registered-models/search", SearchQuery(query.Filter, query.MaxResults, query.OrderBy, query.PageToken),
            KeelJsonContext.Default.SearchRegisteredModelsResponse, cancellationToken).ConfigureAwait(false);
        return new Page<RegisteredModel>(response.RegisteredModels, NullIfEmpty(response.NextPageToken));
    }

    /// <summary>Returns every registered model that matches, fetching pages as the caller enumerates.</summary>
    /// <param name="query">The filter, order and page size; null returns all models.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The models, in the server's order.</returns>
    public async IAsyncEnumerable<RegisteredModel> SearchAllRegisteredModelsAsync(
        RegisteredModelQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new RegisteredModelQuery();
        do
        {
            var page = await SearchRegisteredModelsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var model in page.Items)
            {
                yield return model;
            }

            query = query with { PageToken = page.NextPageToken };
        }
        while (query.PageToken is not null);
    }

    /// <summary>Renames a registered model; its versions, tags and aliases follow it.</summary>
    /// <param name="name">The model's current name.</param>
    /// <param name="newName">The new name, which no other model may have.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The renamed model.</returns>
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(newName);
        var response = await PostAsync(
            "registered-models/rename", new RenameRegisteredModelRequest(name, newName),
            KeelJsonContext.Default.RenameRegisteredModelRequest, KeelJsonContext.Default.RegisteredModelResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Changes a registered model's description.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="description">The new description; null clears it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The model after the change.</returns>
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await SendJsonAsync(
            HttpMethod.Patch, "registered-models/update", new UpdateRegisteredModelRequest(name, description),
            KeelJsonContext.Default.UpdateRegisteredModelRequest, KeelJsonContext.Default.RegisteredModelResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.RegisteredModel ?? throw MissingField("registered_model");
    }

    /// <summary>Deletes a registered model with all its versions, tags and aliases.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public async Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var response = await SendJsonAsync(
            HttpMethod.Delete, "registered-models/delete", new RegisteredModelNameRequest(name), KeelJsonContext.Default.RegisteredModelNameRequest,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a tag on a registered model, replacing any value it had.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="value">The tag's value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored it.</returns>
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return PostAsync("registered-models/set-tag", new RegisteredModelTagRequest(name, key, value), KeelJsonContext.Default.RegisteredModelTagRequest, cancellationToken);
    }

    /// <summary>Deletes a tag of a registered model; deleting a tag that is not there is not an error.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="key">The tag's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public async Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var response = await SendJsonAsync(
            HttpMethod.Delete, "registered-models/delete-tag", new RegisteredModelTagRequest(name, key, null), KeelJsonContext.Default.RegisteredModelTagRequest,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points an alias at a version, creating the alias or moving it from another version.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="alias">The alias, such as <c>champion</c>; <c>latest</c> and version-like names such as <c>v3</c> are reserved.</param>
    /// <param name="version">The version to point at.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has stored it.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if the model or version does not exist.</exception>
    public Task SetModelAliasAsync(string name, string alias, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        return PostAsync("registered-models/alias", new SetAliasRequest(name, alias, VersionText(version)), KeelJsonContext.Default.SetAliasRequest, cancellationToken);
    }

    /// <summary>Deletes an alias; deleting an alias that is not there is not an error.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    public async Task DeleteModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        using var response = await SendJsonAsync(
            HttpMethod.Delete, "registered-models/alias", new SetAliasRequest(name, alias, null), KeelJsonContext.Default.SetAliasRequest, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Gets the version an alias points at.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version.</returns>
    /// <exception cref="KeelApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> if the model has no such alias, as MLflow answers;
    /// <see cref="ResolveModelUriAsync"/> reports it as <c>RESOURCE_DOES_NOT_EXIST</c> instead.
    /// </exception>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        var response = await GetAsync(
            "registered-models/alias", new QueryString().Add("name", name).Add("alias", alias), KeelJsonContext.Default.ModelVersionResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.ModelVersion ?? throw MissingField("model_version");
    }

    /// <summary>Gets the latest version in each of the given stages.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="stages">The stages, from <see cref="ModelStages"/>; null or empty means all of them.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>At most one version per stage.</returns>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestModelVersionsAsync(
        string name, IReadOnlyList<string>? stages = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await PostAsync(
            "registered-models/get-latest-versions", new GetLatestVersionsRequest(name, stages is { Count: > 0 } ? stages : null),
            KeelJsonContext.Default.GetLatestVersionsRequest, KeelJsonContext.Default.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersions;
    }

    private static QueryString SearchQuery(string? filter, int? maxResults, IReadOnlyList<string>? orderBy, string? pageToken)
    {
        var query = new QueryString().Add("filter", filter).Add("max_results", maxResults?.ToString(CultureInfo.InvariantCulture));
        foreach (var key in orderBy ?? [])
        {
            query.Add("order_by", key);
        }

        return query.Add("page_token", pageToken);
    }

    private static string VersionText(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        return version.ToString(CultureInfo.InvariantCulture);
    }
}
