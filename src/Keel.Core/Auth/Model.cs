namespace Keel.Core.Auth;

public sealed record User(long Id, string Name, bool IsAdmin, long CreationTime);

/// <summary>A token as listed: never its secret, which exists only in the answer that created it.</summary>
public sealed record ApiToken(string Id, string Name, long CreationTime, long? ExpiryTime, long? RevokedTime, long? LastUsedTime);

/// <summary>A token just created: <see cref="Secret"/> (<c>keel_...</c>) is shown this once.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);
