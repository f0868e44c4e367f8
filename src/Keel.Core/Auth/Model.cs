namespace Keel.Core.Auth;

/// <summary>A user; <see cref="Role"/> is their role in the (one, default) workspace, which grants can override per resource.</summary>
public sealed record User(long Id, string Name, bool IsAdmin, long CreationTime, Role Role);

/// <summary>A token as listed: never its secret, which exists only in the answer that created it.</summary>
public sealed record ApiToken(string Id, string Name, long CreationTime, long? ExpiryTime, long? RevokedTime, long? LastUsedTime);

/// <summary>A token just created: <see cref="Secret"/> (<c>keel_...</c>) is shown this once.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>A user's role on one experiment (by id), registered model or deployment (by name), over their workspace role.</summary>
public sealed record Grant(string UserName, ResourceKind Kind, string Resource, Role Role, long CreationTime);
