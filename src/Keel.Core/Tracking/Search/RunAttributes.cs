namespace Keel.Core.Tracking.Search;

/// <summary>Canonical attribute keys of runs and datasets and the columns they are stored in.</summary>
internal static class RunAttributes
{
    public const string RunId = "run_id";
    public const string RunName = "run_name";
    public const string UserId = "user_id";
    public const string Status = "status";
    public const string StartTime = "start_time";
    public const string EndTime = "end_time";
    public const string ArtifactUri = "artifact_uri";

    public const string DatasetName = "name";
    public const string DatasetDigest = "digest";
    public const string DatasetContext = "context";

    /// <summary>The input tag MLflow stores a dataset's context in (training, evaluation, ...).</summary>
    public const string DatasetContextTag = "mlflow.data.context";

    public static bool IsNumeric(string key) => key is StartTime or EndTime;

    /// <summary>The whitelisted column of <c>runs</c> for a canonical attribute key.</summary>
    public static string Column(string key) => key switch
    {
        RunId => "run_uuid",
        RunName => "name",
        UserId => "user_id",
        Status => "status",
        StartTime => "start_time",
        EndTime => "end_time",
        ArtifactUri => "artifact_uri",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Not a run attribute."),
    };
}
