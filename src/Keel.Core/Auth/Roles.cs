namespace Keel.Core.Auth;

/// <summary>
/// What a user may do, in increasing order; a role allows every permission at or below its level. <see cref="Use"/>
/// exists for MLflow's USE permission (read, and use the resource: score a deployment); <see cref="NoPermissions"/> is
/// an explicit deny a grant can put over a user's workspace role.
/// </summary>
public enum Role
{
    NoPermissions = 0,
    Reader = 1,
    Use = 2,
    Editor = 3,
    Approver = 4,
    Admin = 5,
}

/// <summary>What an endpoint needs; the value is the lowest <see cref="Role"/> that allows it.</summary>
public enum Permission
{
    Read = 1,
    Use = 2,
    Edit = 3,
    Approve = 4,
    Manage = 5,
}

/// <summary>What a permission is checked on: the workspace (the one default), or one resource a grant can name.</summary>
public enum ResourceKind
{
    Workspace,
    Experiment,
    RegisteredModel,
    Deployment,
}

public static class Roles
{
    private static readonly Dictionary<string, Role> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = Role.NoPermissions, ["reader"] = Role.Reader, ["use"] = Role.Use, ["editor"] = Role.Editor,
        ["approver"] = Role.Approver, ["admin"] = Role.Admin,
    };

    public static bool Allows(this Role role, Permission permission) => (int)role >= (int)permission;

    public static string Name(this Role role) => ByName.First(p => p.Value == role).Key;

    public static Role Parse(string? name) => name is not null && ByName.TryGetValue(name.Trim(), out var role)
        ? role
        : throw KeelException.InvalidParameter($"Unknown role '{name}'. Roles are {string.Join(", ", ByName.Keys)}.");

    /// <summary>The name a grant's resource type has in the API and the grants table.</summary>
    public static string TypeName(this ResourceKind kind) => kind switch
    {
        ResourceKind.Experiment => "experiment",
        ResourceKind.RegisteredModel => "registered_model",
        ResourceKind.Deployment => "deployment",
        _ => throw KeelException.InvalidParameter("Grants name an experiment, a registered model or a deployment, not the workspace."),
    };

    public static ResourceKind ParseKind(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "experiment" or "experiments" => ResourceKind.Experiment,
        "registered_model" or "registered-model" or "registered-models" or "model" or "models" => ResourceKind.RegisteredModel,
        "deployment" or "deployments" => ResourceKind.Deployment,
        _ => throw KeelException.InvalidParameter($"Unknown resource type '{name}'. Types are experiment, registered_model and deployment."),
    };

    // MLflow's auth plugin permissions (mlflow/server/auth/permissions.py) as Keel roles: MANAGE is the resource's admin.
    public static Role FromMlflow(string? permission) => permission?.Trim().ToUpperInvariant() switch
    {
        "READ" => Role.Reader,
        "USE" => Role.Use,
        "EDIT" => Role.Editor,
        "MANAGE" => Role.Admin,
        "NO_PERMISSIONS" => Role.NoPermissions,
        _ => throw KeelException.InvalidParameter($"Invalid permission '{permission}'. Permissions are READ, USE, EDIT, MANAGE and NO_PERMISSIONS."),
    };

    // Approver has no MLflow permission of its own; MLflow clients see it as EDIT, which is all it allows there.
    public static string ToMlflow(this Role role) => role switch
    {
        Role.NoPermissions => "NO_PERMISSIONS",
        Role.Reader => "READ",
        Role.Use => "USE",
        Role.Editor or Role.Approver => "EDIT",
        _ => "MANAGE",
    };
}
