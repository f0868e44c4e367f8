using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>
/// Users and API tokens on a Keel server with authentication on (<c>/api/keel/v1/users</c>, <c>/api/keel/v1/tokens</c>).
/// Get it from <see cref="KeelClient.Auth"/>; it authenticates with the client's credentials.
/// </summary>
public sealed class KeelAuthClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;

    internal KeelAuthClient(HttpClient http, Uri root)
    {
        _http = http;
        _root = root;
    }

    /// <summary>Lists the users (admins only).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The users by name.</returns>
    public async Task<IReadOnlyList<KeelUser>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("users", KeelJsonContext.Default.UsersResponse, cancellationToken).ConfigureAwait(false)).Users ?? [];

    /// <summary>Creates a user (admins only).</summary>
    /// <param name="name">The user name (no <c>:</c>).</param>
    /// <param name="password">At least 12 characters, not a common password.</param>
    /// <param name="isAdmin">Whether the user may manage users.</param>
    /// <param name="role">The workspace role; null means the server's default, <c>reader</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The user.</returns>
    public async Task<KeelUser> CreateUserAsync(string name, string password, bool isAdmin = false, string? role = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "users", new CreateUserRequest(name, password, isAdmin, role),
            KeelJsonContext.Default.CreateUserRequest, cancellationToken).ConfigureAwait(false);
        return (await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.UserResponse, cancellationToken).ConfigureAwait(false)).User;
    }

    /// <summary>Deletes a user and their tokens (admins only).</summary>
    /// <param name="name">The user name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the user is gone.</returns>
    public async Task DeleteUserAsync(string name, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_root, "users/" + Uri.EscapeDataString(name)));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a user's password (an admin, or the user themselves).</summary>
    /// <param name="name">The user name.</param>
    /// <param name="password">The new password.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the password is set.</returns>
    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "users/" + Uri.EscapeDataString(name) + "/password", new PasswordRequest(password),
            KeelJsonContext.Default.PasswordRequest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a user's workspace role (admins only).</summary>
    /// <param name="name">The user name.</param>
    /// <param name="role"><c>none</c>, <c>reader</c>, <c>editor</c>, <c>approver</c> or <c>admin</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The user with the new role.</returns>
    public async Task<KeelUser> SetRoleAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "users/" + Uri.EscapeDataString(name) + "/role", new RoleRequest(role),
            KeelJsonContext.Default.RoleRequest, cancellationToken).ConfigureAwait(false);
        return (await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.UserResponse, cancellationToken).ConfigureAwait(false)).User;
    }

    /// <summary>Lists grants: all of them for an admin (optionally of one user), else the caller's own.</summary>
    /// <param name="user">Only this user's grants (admins only); null for all.</param>
    /// <param name="resourceType">Only this type (<c>experiment</c>, <c>registered_model</c>, <c>deployment</c>); null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The grants by resource.</returns>
    public async Task<IReadOnlyList<KeelGrant>> ListGrantsAsync(string? user = null, string? resourceType = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("user", user), ("resource_type", resourceType) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
        return (await GetAsync("grants" + (query.Length > 0 ? "?" + query : ""), KeelJsonContext.Default.GrantsResponse, cancellationToken)
            .ConfigureAwait(false)).Grants ?? [];
    }

    /// <summary>Gives a user a role on one resource (needs the admin role on it).</summary>
    /// <param name="resourceType"><c>experiment</c>, <c>registered_model</c> or <c>deployment</c>.</param>
    /// <param name="resource">The experiment's id, or the model's or deployment's name.</param>
    /// <param name="user">The user.</param>
    /// <param name="role"><c>none</c> (deny), <c>reader</c>, <c>use</c>, <c>editor</c>, <c>approver</c> or <c>admin</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The grant.</returns>
    public async Task<KeelGrant> SetGrantAsync(string resourceType, string resource, string user, string role, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, GrantPath(resourceType, resource, user), new RoleRequest(role),
            KeelJsonContext.Default.RoleRequest, cancellationToken).ConfigureAwait(false);
        return (await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.GrantResponse, cancellationToken).ConfigureAwait(false)).Grant;
    }

    /// <summary>Removes a user's grant on one resource; their workspace role applies to it again.</summary>
    /// <param name="resourceType"><c>experiment</c>, <c>registered_model</c> or <c>deployment</c>.</param>
    /// <param name="resource">The experiment's id, or the model's or deployment's name.</param>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the grant is gone.</returns>
    public async Task RemoveGrantAsync(string resourceType, string resource, string user, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_root, GrantPath(resourceType, resource, user)));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static string GrantPath(string resourceType, string resource, string user)
    {
        var segment = resourceType.Trim().ToLowerInvariant() switch
        {
            "experiment" or "experiments" => "experiments",
            "registered_model" or "registered-model" or "registered-models" or "model" or "models" => "registered-models",
            "deployment" or "deployments" => "deployments",
            _ => throw new ArgumentException($"Unknown resource type '{resourceType}'. Types are experiment, registered_model and deployment.", nameof(resourceType)),
        };
        return $"grants/{segment}/{Uri.EscapeDataString(resource)}/{Uri.EscapeDataString(user)}";
    }

    /// <summary>Creates an API token for the authenticated user.</summary>
    /// <param name="name">What the token is for.</param>
    /// <param name="expires">When it stops working; null means never.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token with its secret, which is not shown again.</returns>
    public async Task<CreatedApiToken> CreateTokenAsync(string name, DateTimeOffset? expires = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "tokens", new CreateTokenRequest(name, expires?.ToUnixTimeMilliseconds()),
            KeelJsonContext.Default.CreateTokenRequest, cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.CreatedApiToken, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the authenticated user's tokens, without secrets.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The tokens, oldest first.</returns>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("tokens", KeelJsonContext.Default.TokensResponse, cancellationToken).ConfigureAwait(false)).Tokens ?? [];

    /// <summary>Revokes one of the authenticated user's tokens; it stops working at once.</summary>
    /// <param name="id">The token's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the token is revoked.</returns>
    public async Task RevokeTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_root, "tokens/" + Uri.EscapeDataString(id)));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync<T>(HttpMethod method, string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_root, path)) { Content = JsonContent.Create(body, type) };
        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, type, cancellationToken).ConfigureAwait(false);
    }
}
