using System.Globalization;
using System.Net.Http.Headers;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>
    /// Gets where a version came from: the run that produced it (with its params, latest metrics and datasets) and
    /// its deployments. A Keel endpoint (<c>/api/keel/v1/lineage/...</c>); MLflow's own server does not have it.
    /// </summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The lineage; <see cref="ModelVersionLineage.Run"/> is null for a version registered from outside any run.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such model or version.</exception>
    public Task<ModelVersionLineage> GetModelVersionLineageAsync(string name, long version, CancellationToken cancellationToken = default) =>
        GetKeelJsonAsync(LineagePath(name, version), KeelJsonContext.Default.ModelVersionLineage, cancellationToken);

    /// <summary>Gets a version's model card. A Keel endpoint; MLflow's own server does not have it.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The card.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such model or version.</exception>
    public Task<ModelCard> GetModelCardAsync(string name, long version, CancellationToken cancellationToken = default) =>
        GetKeelJsonAsync(CardPath(name, version), KeelJsonContext.Default.ModelCard, cancellationToken);

    /// <summary>Gets a version's model card rendered as Markdown by the server.</summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The Markdown text.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such model or version.</exception>
    public async Task<string> GetModelCardMarkdownAsync(string name, long version, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, KeelApiUri(CardPath(name, version)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetKeelJsonAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(KeelApiUri(path), cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private static string LineagePath(string name, long version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"lineage/models/{Uri.EscapeDataString(name)}/versions/{VersionText(version)}";
    }

    private static string CardPath(string name, long version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return string.Create(CultureInfo.InvariantCulture, $"models/{Uri.EscapeDataString(name)}/versions/{VersionText(version)}/card");
    }
}
