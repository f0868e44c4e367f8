namespace Keel.Client;

/// <summary>What <see cref="KeelClient.SearchRegisteredModelsAsync"/> looks for.</summary>
public sealed record RegisteredModelQuery
{
    /// <summary>A filter on <c>name</c> and <c>tags.&lt;key&gt;</c>, such as <c>name LIKE 'churn%'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys such as <c>name ASC</c> or <c>last_updated_timestamp DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The page size; null lets the server choose (100; at most 1000).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the page to fetch, from <see cref="Page{T}.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }
}

/// <summary>What <see cref="KeelClient.SearchModelVersionsAsync"/> looks for.</summary>
public sealed record ModelVersionQuery
{
    /// <summary>A filter on <c>name</c>, <c>run_id</c>, <c>source_path</c>, <c>version_number</c> and <c>tags.&lt;key&gt;</c>, such as <c>name = 'churn'</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Sort keys such as <c>version_number DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>The page size; null lets the server choose.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the page to fetch, from <see cref="Page{T}.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }
}
