using System.Data.Common;
using Keel.Core.Storage;

namespace Keel.Core.Auth;

/// <summary>
/// Per-resource roles over a user's workspace role, and the one question every endpoint asks: what role does this user
/// have on this resource. Answered from the database each time, so a grant or revocation holds at once on every replica.
/// </summary>
internal sealed class GrantStore(Database database, WriteQueue writes, TimeProvider clock)
{
    private const string GrantColumns = "u.name, g.resource_type, g.resource_id, g.role, g.creation_time";

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The user's role on a resource: admin for admins, else the resource's grant, else the workspace role.</summary>
    public async Task<Role> EffectiveRoleAsync(long userId, ResourceKind kind, string? resource, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = kind == ResourceKind.Workspace || string.IsNullOrEmpty(resource)
            ? connection.Command("SELECT is_admin, role, NULL FROM users WHERE user_id = @p0", userId)
            : connection.Command(
                "SELECT u.is_admin, u.role, g.role FROM users u LEFT JOIN grants g " +
                "ON g.user_id = u.user_id AND g.resource_type = @p1 AND g.resource_id = @p2 WHERE u.user_id = @p0",
                userId, kind.TypeName(), resource);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return Role.NoPermissions;
        }

        return reader.GetBoolean(0) ? Role.Admin : (Role)(reader.GetNullableInt64(2) ?? reader.GetInt64(1));
    }

    /// <summary>Null for an admin (who reads everything), else the condition a search adds.</summary>
    public async Task<ReadScope?> ScopeAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command("SELECT is_admin, role FROM users WHERE user_id = @p0", userId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return new ReadScope(userId, Role.NoPermissions);
        }

        return reader.GetBoolean(0) ? null : new ReadScope(userId, (Role)reader.GetInt64(1));
    }

    public async Task<Grant> GetAsync(string? userName, ResourceKind kind, string? resource, CancellationToken ct = default)
    {
        var grants = await ListAsync(RequireText(userName, "username"), kind, RequireText(resource, "resource"), ct);
        return grants.Count == 1 ? grants[0] : throw NotFound(userName, kind, resource);
    }

    public async Task<IReadOnlyList<Grant>> ListAsync(string? userName, ResourceKind? kind, string? resource, CancellationToken ct = default)
    {
        var conditions = new List<string>();
        var values = new List<object?>();
        void Add(string column, object? value)
        {
            conditions.Add($"{column} = @p{values.Count}");
            values.Add(value);
        }

        if (!string.IsNullOrEmpty(userName))
        {
            Add("u.name", userName.Trim());
        }

        if (kind is { } k)
        {
            Add("g.resource_type", k.TypeName());
        }

        if (!string.IsNullOrEmpty(resource))
        {
            Add("g.resource_id", resource.Trim());
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(
            $"SELECT {GrantColumns} FROM grants g JOIN users u ON u.user_id = g.user_id{where} ORDER BY g.resource_type, g.resource_id, u.name",
            [.. values]);
        return await ReadAsync(command, ct);
    }

    /// <summary>Adds a grant; one already there for that user and resource is a conflict (MLflow's create).</summary>
    public async Task<Grant> CreateAsync(string? userName, ResourceKind kind, string? resource, Role role, CancellationToken ct = default)
    {
        var (user, id) = (RequireText(userName, "username"), RequireText(resource, "resource"));
        try
        {
            await writes.ExecuteAsync(ctx => ctx.Execute(
                "INSERT INTO grants(user_id, resource_type, resource_id, role, creation_time) VALUES (@p0, @p1, @p2, @p3, @p4)",
                UserId(ctx, user), kind.TypeName(), id, (long)role, Now()), ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw KeelException.AlreadyExists($"User '{user}' already has a permission on {kind.TypeName()} '{id}'.");
        }

        return await GetAsync(user, kind, id, ct);
    }

    /// <summary>Changes an existing grant (MLflow's update); there must be one.</summary>
    public async Task<Grant> UpdateAsync(string? userName, ResourceKind kind, string? resource, Role role, CancellationToken ct = default)
    {
        var (user, id) = (RequireText(userName, "username"), RequireText(resource, "resource"));
        var updated = await writes.ExecuteAsync(ctx => ctx.Execute(
            "UPDATE grants SET role = @p3 WHERE user_id = @p0 AND resource_type = @p1 AND resource_id = @p2",
            UserId(ctx, user), kind.TypeName(), id, (long)role), ct);
        return updated == 0 ? throw NotFound(user, kind, id) : await GetAsync(user, kind, id, ct);
    }

    /// <summary>Adds or changes a grant (Keel's PUT).</summary>
    public async Task<Grant> SetAsync(string? userName, ResourceKind kind, string? resource, Role role, CancellationToken ct = default)
    {
        var (user, id) = (RequireText(userName, "username"), RequireText(resource, "resource"));
        await writes.ExecuteAsync(ctx => Upsert(ctx, UserId(ctx, user), kind, id, role), ct);
        return await GetAsync(user, kind, id, ct);
    }

    public async Task DeleteAsync(string? userName, ResourceKind kind, string? resource, CancellationToken ct = default)
    {
        var (user, id) = (RequireText(userName, "username"), RequireText(resource, "resource"));
        var deleted = await writes.ExecuteAsync(ctx => ctx.Execute(
            "DELETE FROM grants WHERE user_id = @p0 AND resource_type = @p1 AND resource_id = @p2", UserId(ctx, user), kind.TypeName(), id), ct);
        if (deleted == 0)
        {
            throw NotFound(user, kind, id);
        }
    }

    /// <summary>Makes a non-admin creator the admin of what they created, as MLflow's auth plugin gives creators MANAGE.</summary>
    public Task GrantCreatorAsync(User? creator, ResourceKind kind, string resource, CancellationToken ct = default) =>
        creator is null || creator.IsAdmin
            ? Task.CompletedTask
            : writes.ExecuteAsync(ctx => Upsert(ctx, creator.Id, kind, resource, Role.Admin), ct);

    /// <summary>Grants on a name follow the resource when it is renamed, and leave with it when it is deleted, so a new resource of the old name starts clean.</summary>
    public Task MoveAsync(ResourceKind kind, string from, string? to, CancellationToken ct = default) =>
        writes.ExecuteAsync(ctx => to is null
            ? ctx.Execute("DELETE FROM grants WHERE resource_type = @p0 AND resource_id = @p1", kind.TypeName(), from)
            : ctx.Execute("UPDATE grants SET resource_id = @p2 WHERE resource_type = @p0 AND resource_id = @p1", kind.TypeName(), from, to), ct);

    /// <summary>The experiment a run belongs to, as a grant names it; null for an unknown run.</summary>
    public Task<string?> ExperimentOfRunAsync(string runId, CancellationToken ct) =>
        LookupAsync("SELECT CAST(experiment_id AS TEXT) FROM runs WHERE run_uuid = @p0", runId, ct);

    public Task<string?> ExperimentNamedAsync(string name, CancellationToken ct) =>
        LookupAsync("SELECT CAST(experiment_id AS TEXT) FROM experiments WHERE name = @p0", name, ct);

    public Task<string?> DeploymentOfMonitorAsync(string monitor, CancellationToken ct) =>
        LookupAsync("SELECT deployment FROM monitors WHERE name = @p0", monitor, ct);

    private async Task<string?> LookupAsync(string sql, string key, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(sql, key);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private void Upsert(WriteContext ctx, long userId, ResourceKind kind, string resource, Role role) => ctx.Execute(
        "INSERT INTO grants(user_id, resource_type, resource_id, role, creation_time) VALUES (@p0, @p1, @p2, @p3, @p4) " +
        "ON CONFLICT (user_id, resource_type, resource_id) DO UPDATE SET role = excluded.role",
        userId, kind.TypeName(), resource, (long)role, Now());

    private static long UserId(WriteContext ctx, string userName) =>
        ctx.Scalar("SELECT user_id FROM users WHERE name = @p0", userName) is { } id
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : throw KeelException.NotFound($"User '{userName}' does not exist.");

    private static string RequireText(string? value, string field) => string.IsNullOrWhiteSpace(value)
        ? throw KeelException.InvalidParameter($"Missing value for required parameter '{field}'.")
        : value.Trim();

    private static KeelException NotFound(string? user, ResourceKind kind, string? resource) =>
        KeelException.NotFound($"User '{user}' has no permission on {kind.TypeName()} '{resource}'.");

    private static async Task<IReadOnlyList<Grant>> ReadAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var grants = new List<Grant>();
        while (await reader.ReadAsync(ct))
        {
            grants.Add(new Grant(reader.GetString(0), Roles.ParseKind(reader.GetString(1)), reader.GetString(2), (Role)reader.GetInt64(3), reader.GetInt64(4)));
        }

        return grants;
    }
}
