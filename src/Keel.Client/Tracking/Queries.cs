namespace Keel.Client;

/// <summary>What <see cref="KeelClient.SearchExperimentsAsync"/> looks for.</summary>
public sealed record ExperimentQuery
{
    /// <summary>A filter over attributes and tags, such as <c>name LIKE 'churn-%' AND tags.team = 'ml'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys such as <c>name ASC</c> or <c>creation_time DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The page size; null lets the server choose.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the page to fetch, from <see cref="Page{T}.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }

    /// <summary>Which lifecycle stages to return.</summary>
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;
}

/// <summary>What <see cref="KeelClient.SearchRunsAsync"/> looks for.</summary>
public sealed record RunQuery
{
    /// <summary>The experiments to search.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    /// <summary>A filter over metrics, params, tags and attributes, such as <c>metrics.rmse &lt; 1 AND params.model = 'tree'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys such as <c>metrics.rmse ASC</c> or <c>attributes.start_time DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The page size; null lets the server choose (MLflow's default is 1000).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the page to fetch, from <see cref="Page{T}.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }

    /// <summary>Which lifecycle stages to return.</summary>
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;
}

/// <summary>One page of search results.</summary>
/// <typeparam name="T">The kind of result.</typeparam>
/// <param name="Items">The results on this page.</param>
/// <param name="NextPageToken">The token for the next page, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
