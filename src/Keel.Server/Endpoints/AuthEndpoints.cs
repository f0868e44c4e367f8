using Keel.Core;
using Keel.Core.Auth;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

/// <summary>
/// Users and API tokens: Keel's own routes, and the user routes of MLflow's auth plugin so its clients can manage
/// users too. Managing users needs an authenticated admin; with authentication off there is none, so they refuse.
/// </summary>
internal static class AuthEndpoints
{
    public const string KeelPrefix = "/api/keel";
    private static readonly object Empty = new();

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in users only; each handler checks admin or self itself.
        var users = app.MapGroup("/api/keel/v1/users").WithTags("Auth").RequireSignedIn();
        users.MapGet("", ListUsersAsync);
        users.MapPost("", CreateUserAsync);
        users.MapDelete("/{name}", DeleteUserAsync);
        users.MapPut("/{name}/password", SetPasswordAsync);
        users.MapPut("/{name}/role", SetRoleAsync);

        var tokens = app.MapGroup("/api/keel/v1/tokens").WithTags("Auth").RequireSignedIn();
        tokens.MapGet("", ListTokensAsync);
        tokens.MapPost("", CreateTokenAsync);
        tokens.MapDelete("/{tokenId}", RevokeTokenAsync);

        foreach (var prefix in MlflowRoutes.TrackingPrefixes)
        {
            var mlflow = app.MapGroup(prefix + "/users").WithTags("Auth").RequireSignedIn();
            mlflow.MapPost("/create", MlflowCreateUserAsync);
            mlflow.MapGet("/get", MlflowGetUserAsync);
            mlflow.MapPatch("/update-password", MlflowUpdatePasswordAsync);
            mlflow.MapPatch("/update-admin", MlflowUpdateAdminAsync);
            mlflow.MapDelete("/delete", MlflowDeleteUserAsync);
        }

        return app;
    }

    private static IResult Json(object value, int status = StatusCodes.Status200OK) => Results.Json(value, MlflowJson.Options, statusCode: status);

    private static async Task<IResult> ListUsersAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        return Json(new { users = (await store.ListUsersAsync(ct)).Select(ToMessage).ToList() });
    }

    private static async Task<IResult> CreateUserAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        var user = await store.CreateUserAsync(body.Name, body.Password, body.IsAdmin ?? false, Roles.Parse(body.Role ?? "reader"), ct);
        return Json(new { user = ToMessage(user) }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteUserAsync(string name, HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        await store.DeleteUserAsync(name, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> SetPasswordAsync(string name, HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireSelfOrAdmin(http, name);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        await store.SetPasswordAsync(name, body.Password, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> SetRoleAsync(string name, HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        await store.SetRoleAsync(name, Roles.Parse(Require(body.Role, "role")), ct);
        return Json(new { user = ToMessage(await store.GetUserAsync(name, ct)) });
    }

    private static async Task<IResult> ListTokensAsync(HttpContext http, AuthStore store, CancellationToken ct) =>
        Json(new { tokens = (await store.ListTokensAsync(RequireUser(http).Id, ct)).Select(ToMessage).ToList() });

    private static async Task<IResult> CreateTokenAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        var user = RequireUser(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        var created = await store.CreateTokenAsync(user.Id, body.Name, body.ExpiryTime, ct);
        return Json(new { token = ToMessage(created.Token), secret = created.Secret }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeTokenAsync(string tokenId, HttpContext http, AuthStore store, CancellationToken ct)
    {
        await store.RevokeTokenAsync(RequireUser(http).Id, tokenId, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> MlflowCreateUserAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        try
        {
            return Json(new { user = ToMlflowMessage(await store.CreateUserAsync(body.Username, body.Password, isAdmin: false, Role.Reader, ct)) });
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceAlreadyExists)
        {
            // MLflow's clients expect its 400 for a duplicate, not Keel's 409.
            throw KeelException.AlreadyExists(e.Message);
        }
    }

    private static async Task<IResult> MlflowGetUserAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        var name = ReadQuery<UserRequest>(http.Request).Username;
        RequireSelfOrAdmin(http, name);
        return Json(new { user = ToMlflowMessage(await store.GetUserAsync(name, ct)) });
    }

    private static async Task<IResult> MlflowUpdatePasswordAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        RequireSelfOrAdmin(http, body.Username);
        await store.SetPasswordAsync(body.Username, body.Password, ct);
        return Json(Empty);
    }

    private static async Task<IResult> MlflowUpdateAdminAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        await store.SetAdminAsync(body.Username, Require(body.IsAdmin, "is_admin"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> MlflowDeleteUserAsync(HttpContext http, AuthStore store, CancellationToken ct)
    {
        RequireAdmin(http);
        var body = await ReadBodyAsync<UserRequest>(http.Request, ct);
        await store.DeleteUserAsync(body.Username, ct);
        return Json(Empty);
    }

    private static User RequireUser(HttpContext http) => RequestUser.Authenticated(http)
        ?? throw new KeelException(ErrorCodes.PermissionDenied, "Authentication is off (start the server with keel server --auth); there are no users to act as.");

    private static void RequireAdmin(HttpContext http)
    {
        if (!RequireUser(http).IsAdmin)
        {
            throw new KeelException(ErrorCodes.PermissionDenied, "Only an admin may manage users.");
        }
    }

    private static void RequireSelfOrAdmin(HttpContext http, string? name)
    {
        var user = RequireUser(http);
        if (!user.IsAdmin && !string.Equals(user.Name, name?.Trim(), StringComparison.Ordinal))
        {
            throw new KeelException(ErrorCodes.PermissionDenied, "Only an admin may read or change another user.");
        }
    }

    private static object ToMessage(User u) => new { name = u.Name, is_admin = u.IsAdmin, role = u.Role.Name(), creation_time = u.CreationTime };

    // MLflow's auth plugin's User message; permissions are not part of this slice, so the lists are empty.
    private static object ToMlflowMessage(User u) =>
        new { id = u.Id, username = u.Name, is_admin = u.IsAdmin, experiment_permissions = Array.Empty<object>(), registered_model_permissions = Array.Empty<object>() };

    private static object ToMessage(ApiToken t) => new
    {
        id = t.Id, name = t.Name, creation_time = t.CreationTime, expiry_time = t.ExpiryTime, revoked_time = t.RevokedTime,
        last_used_time = t.LastUsedTime,
    };

    private sealed class UserRequest
    {
        public string? Name { get; set; }
        public string? Username { get; set; }
        public string? Password { get; set; }
        public bool? IsAdmin { get; set; }
        public string? Role { get; set; }
        public long? ExpiryTime { get; set; }
    }
}
