using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Keel.Core.Storage;

namespace Keel.Core.Auth;

/// <summary>
/// Users and their API tokens. Writes go through the group-commit <see cref="WriteQueue"/>, reads through pooled
/// connections; password hashing (slow on purpose) runs before a write is queued, never inside one.
/// </summary>
internal sealed class AuthStore(Database database, WriteQueue writes, TimeProvider clock)
{
    public const string TokenPrefix = "keel_";
    private const int MaxNameLength = 256;
    private const string UserColumns = "user_id, name, is_admin, creation_time, role";
    private const string TokenColumns = "token_id, name, creation_time, expiry_time, revoked_time, last_used_time";

    // A token's last use is recorded at most this often, so authenticated reads do not each queue a write.
    private static readonly long LastUsedResolutionMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;

    // What an unknown user name's password is checked against, so it costs the same as a known one.
    private static readonly Lazy<string> UnknownUserHash = new(() => Passwords.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<User> CreateUserAsync(string? name, string? password, bool isAdmin, Role role, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        var hash = Passwords.Hash(RequireStrong(password));
        try
        {
            await writes.ExecuteAsync(ctx => ctx.Execute(
                "INSERT INTO users(name, password_hash, is_admin, creation_time, role) VALUES (@p0, @p1, @p2, @p3, @p4)",
                userName, hash, isAdmin, Now(), (long)role), ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw KeelException.Conflict($"User '{userName}' already exists.");
        }

        return await GetUserAsync(userName, ct);
    }

    /// <summary>Creates the user unless one of that name exists; an existing user (and its password) is left alone.</summary>
    public async Task<bool> EnsureUserAsync(string? name, string? password, bool isAdmin, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        var hash = Passwords.Hash(RequireStrong(password));
        return await writes.ExecuteAsync(ctx => ctx.Execute(
            "INSERT INTO users(name, password_hash, is_admin, creation_time) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (name) DO NOTHING",
            userName, hash, isAdmin, Now()) == 1, ct);
    }

    public async Task<User> GetUserAsync(string? name, CancellationToken ct = default) =>
        await FindUserAsync(RequireName(name), ct) ?? throw KeelException.NotFound($"User '{name}' does not exist.");

    public async Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command($"SELECT {UserColumns} FROM users ORDER BY name");
        return await ReadUsersAsync(command, ct);
    }

    public async Task DeleteUserAsync(string? name, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        var deleted = await writes.ExecuteAsync(ctx =>
        {
            ctx.Execute("DELETE FROM api_tokens WHERE user_id IN (SELECT user_id FROM users WHERE name = @p0)", userName);
            ctx.Execute("DELETE FROM grants WHERE user_id IN (SELECT user_id FROM users WHERE name = @p0)", userName);
            return ctx.Execute("DELETE FROM users WHERE name = @p0", userName);
        }, ct);
        if (deleted == 0)
        {
            throw KeelException.NotFound($"User '{userName}' does not exist.");
        }
    }

    public async Task SetPasswordAsync(string? name, string? password, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        var hash = Passwords.Hash(RequireStrong(password));
        if (await writes.ExecuteAsync(ctx => ctx.Execute("UPDATE users SET password_hash = @p1 WHERE name = @p0", userName, hash), ct) == 0)
        {
            throw KeelException.NotFound($"User '{userName}' does not exist.");
        }
    }

    public async Task SetAdminAsync(string? name, bool isAdmin, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        if (await writes.ExecuteAsync(ctx => ctx.Execute("UPDATE users SET is_admin = @p1 WHERE name = @p0", userName, isAdmin), ct) == 0)
        {
            throw KeelException.NotFound($"User '{userName}' does not exist.");
        }
    }

    public async Task SetRoleAsync(string? name, Role role, CancellationToken ct = default)
    {
        var userName = RequireName(name);
        if (await writes.ExecuteAsync(ctx => ctx.Execute("UPDATE users SET role = @p1 WHERE name = @p0", userName, (long)role), ct) == 0)
        {
            throw KeelException.NotFound($"User '{userName}' does not exist.");
        }
    }

    /// <summary>The user when <paramref name="password"/> is theirs, else null (an unknown name costs the same hashing).</summary>
    public async Task<User?> CheckPasswordAsync(string name, string password, CancellationToken ct = default)
    {
        string? stored = null;
        User? user = null;
        await using (var connection = await database.OpenReadAsync(ct))
        await using (var command = connection.Command($"SELECT {UserColumns}, password_hash FROM users WHERE name = @p0", name))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                user = ReadUser(reader);
                stored = reader.GetString(5);
            }
        }

        // Hashing even for an unknown name keeps the answer's timing from telling which names exist.
        var valid = Passwords.Verify(password, stored ?? UnknownUserHash.Value);
        return stored is not null && valid ? user : null;
    }

    public async Task<CreatedToken> CreateTokenAsync(long userId, string? name, long? expiryTime, CancellationToken ct = default)
    {
        var tokenName = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim();
        if (tokenName.Length > MaxNameLength)
        {
            throw KeelException.InvalidParameter($"A token name must be at most {MaxNameLength} characters.");
        }

        var now = Now();
        if (expiryTime is { } expiry && expiry <= now)
        {
            throw KeelException.InvalidParameter("expiry_time must be in the future (Unix epoch milliseconds).");
        }

        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Guid.NewGuid().ToString("N");
        await writes.ExecuteAsync(ctx => ctx.Execute(
            "INSERT INTO api_tokens(token_id, user_id, name, token_hash, creation_time, expiry_time) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            id, userId, tokenName, HashToken(secret), now, expiryTime), ct);
        return new CreatedToken(new ApiToken(id, tokenName, now, expiryTime, null, null), secret);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command($"SELECT {TokenColumns} FROM api_tokens WHERE user_id = @p0 ORDER BY creation_time, token_id", userId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tokens = new List<ApiToken>();
        while (await reader.ReadAsync(ct))
        {
            tokens.Add(new ApiToken(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetNullableInt64(3),
                reader.GetNullableInt64(4), reader.GetNullableInt64(5)));
        }

        return tokens;
    }

    /// <summary>Revokes one of the user's tokens; revoking twice keeps the first time.</summary>
    public async Task RevokeTokenAsync(long userId, string? tokenId, CancellationToken ct = default)
    {
        var found = await writes.ExecuteAsync(ctx =>
        {
            var exists = ctx.Scalar("SELECT 1 FROM api_tokens WHERE token_id = @p0 AND user_id = @p1", tokenId, userId) is not null;
            ctx.Execute("UPDATE api_tokens SET revoked_time = @p2 WHERE token_id = @p0 AND user_id = @p1 AND revoked_time IS NULL",
                tokenId, userId, Now());
            return exists;
        }, ct);
        if (!found)
        {
            throw KeelException.NotFound($"Token '{tokenId}' does not exist.");
        }
    }

    /// <summary>The user a live (unrevoked, unexpired) token belongs to, else null; records when it was last used.</summary>
    public async Task<User?> CheckTokenAsync(string secret, CancellationToken ct = default)
    {
        var now = Now();
        User? user = null;
        string? tokenId = null;
        long? lastUsed = null;
        await using (var connection = await database.OpenReadAsync(ct))
        await using (var command = connection.Command(
            "SELECT u.user_id, u.name, u.is_admin, u.creation_time, u.role, t.token_id, t.last_used_time FROM api_tokens t " +
            "JOIN users u ON u.user_id = t.user_id " +
            "WHERE t.token_hash = @p0 AND t.revoked_time IS NULL AND (t.expiry_time IS NULL OR t.expiry_time > @p1)",
            HashToken(secret), now))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                user = ReadUser(reader);
                tokenId = reader.GetString(5);
                lastUsed = reader.GetNullableInt64(6);
            }
        }

        if (tokenId is not null && (lastUsed is null || now - lastUsed >= LastUsedResolutionMs))
        {
            await writes.ExecuteAsync(ctx => ctx.Execute("UPDATE api_tokens SET last_used_time = @p1 WHERE token_id = @p0", tokenId, now), ct);
        }

        return user;
    }

    private static string HashToken(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private async Task<User?> FindUserAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command($"SELECT {UserColumns} FROM users WHERE name = @p0", name);
        var users = await ReadUsersAsync(command, ct);
        return users.Count == 1 ? users[0] : null;
    }

    private static async Task<IReadOnlyList<User>> ReadUsersAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var users = new List<User>();
        while (await reader.ReadAsync(ct))
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    private static User ReadUser(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3), (Role)reader.GetInt64(4));

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw KeelException.InvalidParameter("A user name is required.");
        }

        // Basic authentication splits user:password at the first colon, so a name cannot hold one.
        if (trimmed.Length > MaxNameLength || trimmed.Contains(':') || trimmed.Any(char.IsControl))
        {
            throw KeelException.InvalidParameter($"User name '{trimmed}' must be at most {MaxNameLength} characters, without ':' or control characters.");
        }

        return trimmed;
    }

    private static string RequireStrong(string? password) =>
        Passwords.Weakness(password) is { } weakness ? throw KeelException.InvalidParameter(weakness) : password!;
}
