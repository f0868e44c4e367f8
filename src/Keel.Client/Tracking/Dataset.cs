namespace Keel.Client;

/// <summary>A reference to data a run used for training, validation or evaluation.</summary>
public sealed record Dataset
{
    /// <summary>The dataset's name, such as <c>nyc-taxi</c>.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>A hash of the content that tells versions with the same name apart.</summary>
    public string Digest { get; init => field = value ?? ""; } = "";

    /// <summary>The kind of source, such as <c>local</c>, <c>http</c> or <c>s3</c>.</summary>
    public string SourceType { get; init => field = value ?? ""; } = "";

    /// <summary>Where the data came from, as a JSON string in MLflow's convention, such as <c>{"uri": "..."}</c>.</summary>
    public string Source { get; init => field = value ?? ""; } = "";

    /// <summary>The dataset's schema as a JSON string, if known.</summary>
    public string? Schema { get; init; }

    /// <summary>Summary statistics as a JSON string, such as the row count, if known.</summary>
    public string? Profile { get; init; }
}

/// <summary>A dataset used by a run, with tags about that use.</summary>
public sealed record DatasetInput
{
    /// <summary>Tags on the use, such as <c>mlflow.data.context</c> = <c>training</c>.</summary>
    public IReadOnlyList<Tag> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The dataset.</summary>
    public Dataset Dataset { get; init => field = value ?? new(); } = new();
}
