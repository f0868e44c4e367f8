namespace Keel.Client;

/// <summary>A registered model: a named series of model versions, with tags and aliases.</summary>
public sealed record RegisteredModel
{
    /// <summary>The model's unique, case-sensitive name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>When the model was created, in Unix epoch milliseconds.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>When the model or one of its versions last changed, in Unix epoch milliseconds.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The model's description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The latest version in each stage.</summary>
    public IReadOnlyList<ModelVersion> LatestVersions { get; init => field = value ?? []; } = [];

    /// <summary>The model's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The model's aliases and the versions they point at.</summary>
    public IReadOnlyList<ModelAlias> Aliases { get; init => field = value ?? []; } = [];
}

/// <summary>A named pointer at one version of a model, such as <c>champion</c> → 3.</summary>
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version it points at.</param>
public sealed record ModelAlias(string Alias, long Version);

/// <summary>One version of a registered model.</summary>
public sealed record ModelVersion
{
    /// <summary>The registered model's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The version number, counted from 1 per model and never reused.</summary>
    public long Version { get; init; }

    /// <summary>When the version was registered, in Unix epoch milliseconds.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>When the version last changed, in Unix epoch milliseconds.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The version's description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The user who registered it, where the server records one.</summary>
    public string? UserId { get; init; }

    /// <summary>The version's stage: one of <see cref="ModelStages"/>.</summary>
    public string CurrentStage { get; init => field = value ?? ModelStages.None; } = ModelStages.None;

    /// <summary>Where the model's files were registered from, such as <c>runs:/&lt;run_id&gt;/model</c>.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>The run that produced the version, if it came from one.</summary>
    public string? RunId { get; init; }

    /// <summary>The version's status, <c>READY</c> once registered.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>Details about the status, if any.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>A link to the run in another system, if one was given.</summary>
    public string? RunLink { get; init; }

    /// <summary>The version's tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The aliases that point at this version.</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];
}

/// <summary>MLflow's model version stages, as the server spells them.</summary>
public static class ModelStages
{
    /// <summary>No stage: the stage of a new version.</summary>
    public const string None = "None";

    /// <summary>Being validated.</summary>
    public const string Staging = "Staging";

    /// <summary>In production.</summary>
    public const string Production = "Production";

    /// <summary>Retired.</summary>
    public const string Archived = "Archived";

    /// <summary>The four stages, in their usual order.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Staging, Production, Archived];
}
