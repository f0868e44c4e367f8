namespace Keel.Client;

/// <summary>A user of a Keel server with authentication on.</summary>
public sealed record KeelUser
{
    /// <summary>The user name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Whether the user may manage other users.</summary>
    public bool IsAdmin { get; init; }

    /// <summary>The user's workspace role: <c>none</c>, <c>reader</c>, <c>editor</c>, <c>approver</c> or <c>admin</c>.</summary>
    public string Role { get; init => field = value ?? ""; } = "";

    /// <summary>When the user was created, Unix epoch milliseconds.</summary>
    public long CreationTime { get; init; }
}

/// <summary>An API token as listed: never its secret.</summary>
public sealed record ApiTokenInfo
{
    /// <summary>The token's id, to revoke it by.</summary>
    public string Id { get; init => field = value ?? ""; } = "";

    /// <summary>What the token is for.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>When it was created, Unix epoch milliseconds.</summary>
    public long CreationTime { get; init; }

    /// <summary>When it stops working, Unix epoch milliseconds; null means never.</summary>
    public long? ExpiryTime { get; init; }

    /// <summary>When it was revoked, Unix epoch milliseconds; null while it is live.</summary>
    public long? RevokedTime { get; init; }

    /// <summary>When it last authenticated a request (to the minute), Unix epoch milliseconds.</summary>
    public long? LastUsedTime { get; init; }
}

/// <summary>A token just created: <see cref="Secret"/> is shown this once and cannot be read back.</summary>
public sealed record CreatedApiToken
{
    /// <summary>The token as it will be listed.</summary>
    public ApiTokenInfo Token { get; init => field = value ?? new(); } = new();

    /// <summary>The secret, <c>keel_...</c>: send it as <c>Authorization: Bearer</c> or set <c>MLFLOW_TRACKING_TOKEN</c>.</summary>
    public string Secret { get; init => field = value ?? ""; } = "";
}

/// <summary>A user's role on one experiment (by id), registered model or deployment (by name), over their workspace role.</summary>
public sealed record KeelGrant
{
    /// <summary>The user the grant is for.</summary>
    public string User { get; init => field = value ?? ""; } = "";

    /// <summary><c>experiment</c>, <c>registered_model</c> or <c>deployment</c>.</summary>
    public string ResourceType { get; init => field = value ?? ""; } = "";

    /// <summary>The experiment's id, or the model's or deployment's name.</summary>
    public string Resource { get; init => field = value ?? ""; } = "";

    /// <summary>The role on that resource; <c>none</c> denies even what the workspace role allows.</summary>
    public string Role { get; init => field = value ?? ""; } = "";

    /// <summary>When the grant was made, Unix epoch milliseconds.</summary>
    public long CreationTime { get; init; }
}
