using System.Text.RegularExpressions;

namespace Keel.Core.Tracking;

/// <summary>MLflow's validation rules (mlflow/utils/validation.py), with its limits and messages.</summary>
internal static partial class Validation
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 5000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxEntityKeyLength = 250;
    public const int MaxDatasetNameLength = 500;
    public const int MaxDatasetDigestLength = 36;
    public const int MaxDatasetSchemaLength = 1048575;
    public const int MaxDatasetSourceLength = 65535;
    public const int MaxDatasetProfileLength = 16777215;
    public const int MaxInputTagKeyLength = 255;
    public const int MaxInputTagValueLength = 500;
    public const int MaxSearchResults = 50000;

    private const string BadCharacters =
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";

    [GeneratedRegex(@"^[/\w.\- ]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$")]
    private static partial Regex ValidRunId();

    public static void MetricName(string? key) => EntityKey("metric", "Metric name", key);

    public static void ParamName(string? key) => EntityKey("parameter", "Param key", key);

    public static void TagName(string? key) => EntityKey("tag", "Tag key", key);

    public static void Tags(IEnumerable<KeyValue> tags)
    {
        foreach (var tag in tags)
        {
            TagName(tag.Key);
            TagValue(tag.Key, tag.Value);
        }
    }

    /// <summary>MLflow's answer to a required field that is missing or empty.</summary>
    public static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw KeelException.InvalidParameter($"Missing value for required parameter '{field}'.") : value;

    public static void ParamValue(string key, string? value) => Length($"Param value for key '{key}'", MaxParamValueLength, value ?? "");

    public static void TagValue(string key, string? value) => Length($"Tag value for key '{key}'", MaxTagValueLength, value ?? "");

    public static void ExperimentName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.InvalidParameter($"Invalid experiment name: '{name}'");
        }

        if (name.Length > MaxExperimentNameLength)
        {
            throw KeelException.InvalidParameter($"Experiment name exceeds the maximum length of {MaxExperimentNameLength} characters");
        }
    }

    public static void RunId(string? runId)
    {
        if (string.IsNullOrEmpty(runId) || !ValidRunId().IsMatch(runId))
        {
            throw KeelException.InvalidParameter($"Invalid run ID: '{runId}'");
        }
    }

    public static void BatchLimits(int metrics, int parameters, int tags)
    {
        BatchLimit("metrics", MaxMetricsPerBatch, metrics);
        BatchLimit("params", MaxParamsTagsPerBatch, parameters);
        BatchLimit("tags", MaxParamsTagsPerBatch, tags);
        BatchLimit("metrics, params, and tags", MaxEntitiesPerBatch, metrics + parameters + tags);
    }

    public static void Metric(Metric metric, bool checkKey = true)
    {
        if (checkKey)
        {
            MetricName(metric.Key);
        }

        if (metric.Timestamp < 0)
        {
            throw KeelException.InvalidParameter(
                $"Got invalid timestamp {metric.Timestamp} for metric '{metric.Key}' (value={metric.Value}). Timestamp must be a nonnegative long (64-bit integer) ");
        }
    }

    public static void MaxResults(long maxResults)
    {
        if (maxResults <= 0 || maxResults > MaxSearchResults)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be at most {MaxSearchResults} and positive, but got value {maxResults}");
        }
    }

    public static void Length(string what, int limit, string value)
    {
        if (value.Length > limit)
        {
            throw KeelException.InvalidParameter(
                $"{what} '{Truncate(value)}' had length {value.Length}, which exceeded length limit of {limit}");
        }
    }

    private static void EntityKey(string kind, string what, string? key)
    {
        if (key is null)
        {
            throw KeelException.InvalidParameter($"{what} cannot be None. A key name must be provided.");
        }

        if (!ValidName().IsMatch(key))
        {
            throw KeelException.InvalidParameter($"Invalid {kind} name: '{key}'. {BadCharacters}");
        }

        if (PathNotUnique(key))
        {
            throw KeelException.InvalidParameter(
                $"Invalid {kind} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.");
        }

        Length(what, MaxEntityKeyLength, key);
    }

    // MLflow rejects names that posixpath.normpath would change: they could alias another name as a file path.
    private static bool PathNotUnique(string name)
    {
        if (name.Length == 0 || name.StartsWith('/') || name.EndsWith('/') || name.Contains("//", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }

    private static void BatchLimit(string entity, int limit, int length)
    {
        if (length > limit)
        {
            throw KeelException.InvalidParameter(
                $"A batch logging request can contain at most {limit} {entity}. Got {length} {entity}. " +
                $"Please split up {entity} across multiple requests and try again.");
        }
    }

    private static string Truncate(string value) => value.Length <= 250 ? value : value[..250];
}
