using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Auth;

// Rows of the authentication schema. The store reads and writes them with raw, portable SQL; these classes exist so
// that one EF model owns the schema and its migrations.

internal sealed class UserRow
{
    public long UserId { get; set; }
    public required string Name { get; set; }

    // "pbkdf2-sha256$iterations$salt$hash" (base64): the iteration count travels with the hash so it can be raised later.
    public required string PasswordHash { get; set; }
    public bool IsAdmin { get; set; }
    public long CreationTime { get; set; }

    // The workspace role as its Role value; new users read unless told otherwise.
    public long Role { get; set; } = (long)Auth.Role.Reader;
}

internal sealed class ApiTokenRow
{
    public required string TokenId { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }

    // SHA-256 of the secret, hex: the token is 256 random bits, so a slow KDF would add nothing but latency.
    public required string TokenHash { get; set; }
    public long CreationTime { get; set; }
    public long? ExpiryTime { get; set; }
    public long? RevokedTime { get; set; }
    public long? LastUsedTime { get; set; }
}

internal sealed class GrantRow
{
    public long UserId { get; set; }
    public required string ResourceType { get; set; }

    // An experiment's id as text, or a registered model's or deployment's name.
    public required string ResourceId { get; set; }
    public long Role { get; set; }
    public long CreationTime { get; set; }
}

internal static class AuthModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<UserRow>(e =>
        {
            e.ToTable("users").HasKey(x => x.UserId);
            e.HasIndex(x => x.Name).IsUnique();
        });
        model.Entity<ApiTokenRow>(e =>
        {
            e.ToTable("api_tokens").HasKey(x => x.TokenId);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<UserRow>().Property(x => x.Role).HasDefaultValue((long)Role.Reader);
        model.Entity<GrantRow>(e =>
        {
            e.ToTable("grants").HasKey(x => new { x.UserId, x.ResourceType, x.ResourceId });
            // Search filters look grants up by resource for one user; renames and deletes by resource alone.
            e.HasIndex(x => new { x.ResourceType, x.ResourceId });
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
