using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel monitor create NAME --deployment D --reference data:/NAME@V|training (--window 1h | --every N)
/// [--column-type COL=numeric|categorical]... [--threshold COL=VALUE]... [--metric KEY [--decay-threshold X]]
/// [--score-column COL] [--max-model-age 30d] [--json]</c>
/// </summary>
internal sealed class MonitorCreateCommand : KeelCommand
{
    private static readonly Option<string> DeploymentOption = new("--deployment") { Description = "The deployment to watch.", Required = true };

    private static readonly Option<string> ReferenceOption = new("--reference")
    {
        Description = "data:/NAME@VERSION, or 'training' for the data:/ input the serving version's source run logged.",
        Required = true,
    };

    private static readonly Option<string?> WindowOption = new("--window") { Description = "A time window: 90s, 15m, 1h, 1d." };

    private static readonly Option<long?> EveryOption = new("--every") { Description = "A count window: this many predictions." };

    private static readonly Option<string[]> ColumnTypeOption = new("--column-type")
    {
        Description = "COLUMN=numeric|categorical, overriding what the reference suggests (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> ThresholdOption = new("--threshold")
    {
        Description = "COLUMN=VALUE: the threshold of the column's test, a p-value or a distance (repeatable).",
    };

    private static readonly Option<string?> MetricOption = new("--metric")
    {
        Description = "A metric key of the serving version's source run (e.g. val_accuracy) that window performance is compared with.",
    };

    private static readonly Option<double?> DecayThresholdOption = new("--decay-threshold") { Description = "The drop from the run's metric that counts as decay (default 0.05)." };

    private static readonly Option<string?> ScoreColumnOption = new("--score-column") { Description = "The output holding the positive class's score, for ROC AUC." };

    private static readonly Option<string?> MaxModelAgeOption = new("--max-model-age") { Description = "Alert when the serving version is older than this (e.g. 30d)." };

    public MonitorCreateCommand()
        : base("create", "Create a monitor over a deployment's predictions.")
    {
        Arguments.Add(MonitorCommand.NameArgument);
        Options.Add(DeploymentOption);
        Options.Add(ReferenceOption);
        Options.Add(WindowOption);
        Options.Add(EveryOption);
        Options.Add(ColumnTypeOption);
        Options.Add(ThresholdOption);
        Options.Add(MetricOption);
        Options.Add(DecayThresholdOption);
        Options.Add(ScoreColumnOption);
        Options.Add(MaxModelAgeOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var settings = new JsonObject();
        if (Pairs(parseResult.GetValue(ColumnTypeOption), "--column-type", v => v is "numeric" or "categorical" ? JsonValue.Create(v) : null) is { } types)
        {
            settings["column_types"] = types;
        }

        if (Pairs(parseResult.GetValue(ThresholdOption), "--threshold",
            v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null) is { } thresholds)
        {
            settings["column_thresholds"] = thresholds;
        }

        Set(settings, "metric", parseResult.GetValue(MetricOption));
        Set(settings, "decay_threshold", parseResult.GetValue(DecayThresholdOption));
        Set(settings, "score_column", parseResult.GetValue(ScoreColumnOption));
        if (parseResult.GetValue(MaxModelAgeOption) is { } age)
        {
            settings["max_model_age_ms"] = Milliseconds(age);
        }

        var monitor = await client.Monitoring.CreateAsync(
            parseResult.GetRequiredValue(MonitorCommand.NameArgument), parseResult.GetRequiredValue(DeploymentOption),
            parseResult.GetRequiredValue(ReferenceOption), parseResult.GetValue(WindowOption), parseResult.GetValue(EveryOption), settings,
            cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(monitor);
            return ExitCodes.Success;
        }

        output.Line($"Created monitor {monitor.Name}: {monitor.Deployment} against {monitor.Reference}, " +
            (monitor.WindowKind == "count" ? $"every {monitor.WindowSize} predictions" : $"windows of {TimeSpan.FromMilliseconds(monitor.WindowSize)}"));
        return ExitCodes.Success;
    }

    private static JsonObject? Pairs(string[]? values, string option, Func<string, JsonNode?> parse)
    {
        if (values is not { Length: > 0 })
        {
            return null;
        }

        var pairs = new JsonObject();
        foreach (var pair in values)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            pairs[at > 0 ? pair[..at] : throw new FormatException($"{option} takes COLUMN=VALUE, but got '{pair}'.")] =
                parse(pair[(at + 1)..]) ?? throw new FormatException($"{option}: '{pair[(at + 1)..]}' is not a valid value in '{pair}'.");
        }

        return pairs;
    }

    private static void Set<T>(JsonObject settings, string key, T? value)
    {
        if (value is not null)
        {
            settings[key] = JsonValue.Create(value);
        }
    }

    private static long Milliseconds(string duration)
    {
        var factor = duration.Length > 0 ? duration[^1] switch { 's' => 1000L, 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, _ => 0L } : 0L;
        return factor > 0 && long.TryParse(duration[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n * factor
            : throw new FormatException($"--max-model-age must be a duration such as 12h or 30d, but got '{duration}'.");
    }
}
