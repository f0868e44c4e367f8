namespace Keel.Client;

/// <summary>A managed deployment and the revision it is at.</summary>
public sealed record Deployment
{
    /// <summary>The deployment's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>When it was created (Unix epoch milliseconds).</summary>
    public long CreationTime { get; init; }

    /// <summary>Its latest revision: what serving hosts following it should serve.</summary>
    public DeploymentRevision Latest { get; init => field = value ?? new(); } = new();
}

/// <summary>One change to a deployment; revisions are numbered 1, 2, ... and never edited except for their status.</summary>
public sealed record DeploymentRevision
{
    /// <summary>The revision number.</summary>
    public long Revision { get; init; }

    /// <summary>The primary model's URI, such as <c>models:/flights-delay@champion</c>.</summary>
    public string Model { get; init => field = value ?? ""; } = "";

    /// <summary>The canary, if the revision has one.</summary>
    public DeploymentCanary? Canary { get; init; }

    /// <summary>The shadow model's URI, if the revision has one: it scores a copy of every request; its answers are logged, never returned.</summary>
    public string? Shadow { get; init; }

    /// <summary>Who made the change (the <c>X-Keel-User</c> header, or <c>anonymous</c>).</summary>
    public string Actor { get; init => field = value ?? ""; } = "";

    /// <summary>When the revision was made (Unix epoch milliseconds).</summary>
    public long Time { get; init; }

    /// <summary><c>PENDING</c>, <c>LIVE</c> (a serving host answers with it) or <c>FAILED</c> (a host could not load it).</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>Why the revision failed, if it did.</summary>
    public string? Message { get; init; }

    /// <summary>Why the revision exists: <c>created</c>, <c>model set to ...</c>, <c>rolled back to revision 2</c>, <c>alias champion of m moved to version 3</c>.</summary>
    public string? Cause { get; init; }

    /// <summary>The version <see cref="Model"/> named when the revision was made: what hosts serve for it. Null if it named none.</summary>
    public long? ModelVersion { get; init; }

    /// <summary>The version the canary's URI named when the revision was made.</summary>
    public long? CanaryVersion { get; init; }

    /// <summary>The version the shadow's URI named when the revision was made.</summary>
    public long? ShadowVersion { get; init; }
}

/// <summary>A second model that answers <see cref="Percent"/> percent of a deployment's requests.</summary>
/// <param name="Model">The canary model's URI.</param>
/// <param name="Percent">0 to 100.</param>
public sealed record DeploymentCanary(string Model, long Percent);
