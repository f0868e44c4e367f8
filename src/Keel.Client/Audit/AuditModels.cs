namespace Keel.Client;

/// <summary>One entry of a Keel server's audit trail: a mutating request or a sign-in attempt.</summary>
public sealed record AuditEntry
{
    /// <summary>The entry's place in the chain, from 1 without gaps.</summary>
    public long Seq { get; init; }

    /// <summary>When the request was answered, Unix epoch milliseconds.</summary>
    public long Time { get; init; }

    /// <summary>The user the request acted for (<c>anonymous</c> when nobody was named).</summary>
    public string Actor { get; init => field = value ?? ""; } = "";

    /// <summary>The method and route pattern, such as <c>POST /api/2.0/mlflow/runs/create</c>, or <c>SIGN-IN Basic</c>.</summary>
    public string Action { get; init => field = value ?? ""; } = "";

    /// <summary>What the request named, such as <c>run/abc</c> or <c>model/churn/version/3</c>; null when none was found.</summary>
    public string? Resource { get; init; }

    /// <summary>The request's X-Request-Id, or the server's trace identifier.</summary>
    public string RequestId { get; init => field = value ?? ""; } = "";

    /// <summary>The HTTP status the request was answered with.</summary>
    public int Outcome { get; init; }

    /// <summary>SHA-256 of the request body, hex; null for sign-ins and bodies that could not be read whole.</summary>
    public string? PayloadSha256 { get; init; }

    /// <summary>The previous entry's hash, hex.</summary>
    public string PrevHash { get; init => field = value ?? ""; } = "";

    /// <summary>HMAC-SHA256 over the previous hash and this entry, hex.</summary>
    public string Hash { get; init => field = value ?? ""; } = "";
}

/// <summary>Which audit entries to list; unset fields do not filter.</summary>
public sealed record AuditQuery
{
    /// <summary>Entries at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Entries before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Entries of this user only.</summary>
    public string? Actor { get; init; }

    /// <summary>Entries of this action only, such as <c>POST /api/2.0/mlflow/runs/create</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Entries naming this resource only, such as <c>run/abc</c>.</summary>
    public string? Resource { get; init; }

    /// <summary>At most this many entries per page (1 to 1000).</summary>
    public int MaxResults { get; init; } = 100;
}

/// <summary>A page of audit entries, oldest first.</summary>
public sealed record AuditPage
{
    /// <summary>The entries.</summary>
    public IReadOnlyList<AuditEntry> Entries { get; init => field = value ?? []; } = [];

    /// <summary>Pass to the next call for the following page; null on the last page.</summary>
    public string? NextPageToken { get; init; }
}

/// <summary>The chain's last entry as the server records it.</summary>
public sealed record AuditHead
{
    /// <summary>The last entry's seq; 0 before the first entry.</summary>
    public long Seq { get; init; }

    /// <summary>The last entry's hash, hex.</summary>
    public string Hash { get; init => field = value ?? ""; } = "";
}

/// <summary>The first entry that does not fit the chain.</summary>
public sealed record AuditProblem
{
    /// <summary>The entry's seq.</summary>
    public long Seq { get; init; }

    /// <summary><c>modified</c>, <c>missing</c>, <c>reordered</c> or <c>head_mismatch</c>.</summary>
    public string Kind { get; init => field = value ?? ""; } = "";

    /// <summary>What was found, in a sentence.</summary>
    public string Detail { get; init => field = value ?? ""; } = "";
}

/// <summary>The result of walking the whole chain with the server's key.</summary>
public sealed record AuditVerification
{
    /// <summary>True when every entry up to the head fits the chain.</summary>
    public bool Ok { get; init; }

    /// <summary>How many entries verified before the first problem (all of them when <see cref="Ok"/>).</summary>
    public long Entries { get; init; }

    /// <summary>The chain head: record it elsewhere to detect a later truncation.</summary>
    public AuditHead Head { get; init => field = value ?? new(); } = new();

    /// <summary>The first problem; null when <see cref="Ok"/>.</summary>
    public AuditProblem? FirstProblem { get; init; }
}
