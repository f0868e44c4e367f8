using System.Globalization;

namespace Keel.Core.Auth;

/// <summary>
/// What one non-admin user may read, as a SQL condition a paged search adds to its WHERE clause, so pages stay full
/// and next-page tokens stay right. The condition has no parameters (the user id is a number, the rest constants),
/// so it fits any store's own parameter numbering.
/// </summary>
public sealed record ReadScope(long UserId, Role WorkspaceRole)
{
    /// <summary>True for rows whose <paramref name="idColumn"/> (text: an experiment id cast, or a name) the user may read.</summary>
    public string Condition(ResourceKind kind, string idColumn)
    {
        var grants = string.Create(CultureInfo.InvariantCulture,
            $"SELECT resource_id FROM grants WHERE user_id = {UserId} AND resource_type = '{kind.TypeName()}' AND role ");
        var read = ((int)Role.Reader).ToString(CultureInfo.InvariantCulture);

        // A workspace reader sees everything but what a grant denies; a user without a workspace role, only what a grant opens.
        return WorkspaceRole.Allows(Permission.Read)
            ? $"{idColumn} NOT IN ({grants}< {read})"
            : $"{idColumn} IN ({grants}>= {read})";
    }
}
