using System.Text.Json.Serialization;

namespace Keel.Client;

/// <summary>Which lifecycle stages a search returns.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ViewType>))]
public enum ViewType
{
    /// <summary>Only active experiments or runs.</summary>
    [JsonStringEnumMemberName("ACTIVE_ONLY")]
    ActiveOnly = 1,

    /// <summary>Only deleted ones, which can still be restored.</summary>
    [JsonStringEnumMemberName("DELETED_ONLY")]
    DeletedOnly = 2,

    /// <summary>Both active and deleted ones.</summary>
    [JsonStringEnumMemberName("ALL")]
    All = 3,
}

/// <summary>The status of a run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>The run is in progress.</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running = 1,

    /// <summary>The run is waiting to start.</summary>
    [JsonStringEnumMemberName("SCHEDULED")]
    Scheduled = 2,

    /// <summary>The run ended successfully.</summary>
    [JsonStringEnumMemberName("FINISHED")]
    Finished = 3,

    /// <summary>The run ended with an error.</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed = 4,

    /// <summary>The run was stopped before it ended.</summary>
    [JsonStringEnumMemberName("KILLED")]
    Killed = 5,
}
