using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>
/// Managed deployments on a Keel server (<c>/api/keel/v1/deployments</c>): what <c>keel serve --deployment</c> serves,
/// with every change kept as a revision that can be rolled back to. Get it from <see cref="KeelClient.Deployments"/>.
/// </summary>
public sealed class KeelDeploymentClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;

    internal KeelDeploymentClient(HttpClient http, Uri root)
    {
        _http = http;
        _root = root;
    }

    /// <summary>
    /// Who changes are recorded as (sent as <c>X-Keel-User</c>); null records them as <c>anonymous</c>.
    /// Set it before the client is used from several threads.
    /// </summary>
    public string? User { get; set; }

    /// <summary>Creates a deployment at revision 1.</summary>
    /// <param name="name">Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    /// <param name="model">The primary model: <c>models:/NAME@ALIAS</c>, <c>models:/NAME/VERSION</c> or <c>models:/NAME/STAGE</c>.</param>
    /// <param name="canary">An optional canary model and its share of traffic.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_ALREADY_EXISTS</c> if the name is taken; <c>INVALID_PARAMETER_VALUE</c> for a bad URI or percent.</exception>
    public Task<Deployment> CreateAsync(string name, string model, DeploymentCanary? canary = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "", new CreateDeploymentRequest(name, model, canary), KeelJsonContext.Default.CreateDeploymentRequest,
            KeelJsonContext.Default.DeploymentResponse, r => r.Deployment, cancellationToken);

    /// <summary>Gets a deployment with its latest revision.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such deployment.</exception>
    public async Task<Deployment> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync(Escape(name), KeelJsonContext.Default.DeploymentResponse, cancellationToken).ConfigureAwait(false)).Deployment;

    /// <summary>Lists the deployments by name.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployments.</returns>
    public async Task<IReadOnlyList<Deployment>> ListAsync(CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("", KeelJsonContext.Default.DeploymentsResponse, cancellationToken).ConfigureAwait(false)).Deployments ?? [];

    /// <summary>Lists a deployment's revisions, newest first.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revisions.</returns>
    public async Task<IReadOnlyList<DeploymentRevision>> ListRevisionsAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync(Escape(name) + "/revisions", KeelJsonContext.Default.DeploymentRevisionsResponse, cancellationToken).ConfigureAwait(false)).Revisions;

    /// <summary>Appends a revision serving another primary model, keeping the canary.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="model">The new primary model URI.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment at its new revision.</returns>
    public Task<Deployment> SetModelAsync(string name, string model, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Escape(name), new SetDeploymentModelRequest(model), KeelJsonContext.Default.SetDeploymentModelRequest,
            KeelJsonContext.Default.DeploymentResponse, r => r.Deployment, cancellationToken);

    /// <summary>Appends a revision with another canary, or none, keeping the primary model.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="canary">The canary; null removes it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment at its new revision.</returns>
    public Task<Deployment> SetCanaryAsync(string name, DeploymentCanary? canary, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Escape(name), new SetDeploymentCanaryRequest(canary), KeelJsonContext.Default.SetDeploymentCanaryRequest,
            KeelJsonContext.Default.DeploymentResponse, r => r.Deployment, cancellationToken);

    /// <summary>
    /// Appends a revision with another shadow model, or none, keeping the primary and canary. The shadow scores a copy of
    /// every request after the answer has been sent; its answers go to the prediction log (shadow = true), never to the caller.
    /// </summary>
    /// <param name="name">The deployment.</param>
    /// <param name="model">The shadow model URI; null removes the shadow.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment at its new revision.</returns>
    public Task<Deployment> SetShadowAsync(string name, string? model, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Escape(name), new SetDeploymentShadowRequest(model), KeelJsonContext.Default.SetDeploymentShadowRequest,
            KeelJsonContext.Default.DeploymentResponse, r => r.Deployment, cancellationToken);

    /// <summary>Appends a revision that copies an earlier one's models.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="to">The revision to copy; by default the one before the latest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deployment at its new revision.</returns>
    public async Task<Deployment> RollbackAsync(string name, long? to = null, CancellationToken cancellationToken = default)
    {
        var path = Escape(name) + "/rollback" + (to is { } revision ? "?to=" + revision.ToString(CultureInfo.InvariantCulture) : "");
        using var request = Request(HttpMethod.Post, path);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.DeploymentResponse, cancellationToken).ConfigureAwait(false)).Deployment;
    }

    /// <summary>Deletes a deployment and its revisions; hosts following it stop serving it. Its prediction-log rows stay.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such deployment.</exception>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Delete, Escape(name));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records what a serving host made of a revision: <c>LIVE</c>, or <c>FAILED</c> with why.</summary>
    /// <param name="name">The deployment.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="status"><c>PENDING</c>, <c>LIVE</c> or <c>FAILED</c>.</param>
    /// <param name="message">Why it failed, if it did.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revision.</returns>
    public Task<DeploymentRevision> SetRevisionStatusAsync(
        string name, long revision, string status, string? message = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"{Escape(name)}/revisions/{revision.ToString(CultureInfo.InvariantCulture)}",
            new SetRevisionStatusRequest(status, message), KeelJsonContext.Default.SetRevisionStatusRequest,
            KeelJsonContext.Default.DeploymentRevisionResponse, r => r.Revision, cancellationToken);

    private static string Escape(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Uri.EscapeDataString(name);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_root, path));
        if (User is { Length: > 0 } user)
        {
            request.Headers.Add("X-Keel-User", user);
        }

        return request;
    }

    private async Task<TResult> SendAsync<TRequest, TResponse, TResult>(
        HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        Func<TResponse, TResult> select, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        request.Content = JsonContent.Create(body, requestType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return select(await KeelClient.ReadAnswerAsync(response, responseType, cancellationToken).ConfigureAwait(false));
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, type, cancellationToken).ConfigureAwait(false);
    }
}
