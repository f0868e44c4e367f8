using Keel.Core.Tracking;

namespace Keel.Server.Ui;

/// <summary>A chosen column of a run table: a param, metric or tag key, named as the search grammar names it.</summary>
internal sealed record RunColumn(string Kind, string Key)
{
    private static readonly string[] Kinds = ["params", "metrics", "tags"];

    /// <summary>The key as runs/search takes it in filters and order_by; backticks allow any character but a backtick.</summary>
    public string SearchKey => $"{Kind}.`{Key}`";

    /// <summary>How the URL carries it: params.lr.</summary>
    public string Name => $"{Kind}.{Key}";

    public static RunColumn? Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Kinds.Contains(text[..dot]) && dot < text.Length - 1 ? new RunColumn(text[..dot], text[(dot + 1)..]) : null;
    }

    public static IReadOnlyList<RunColumn> Discover(IEnumerable<Run> runs)
    {
        var list = runs.ToList();
        return
        [
            .. list.SelectMany(r => r.Params).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal).Select(k => new RunColumn("params", k)),
            .. list.SelectMany(r => r.Metrics).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal).Select(k => new RunColumn("metrics", k)),
            // MLflow's own tags (run name, user, source) are shown as attributes or are noise in a table.
            .. list.SelectMany(r => r.Tags).Select(t => t.Key).Where(k => !k.StartsWith("mlflow.", StringComparison.Ordinal))
                .Distinct().Order(StringComparer.Ordinal).Select(k => new RunColumn("tags", k)),
        ];
    }

    public string? ValueOf(Run run) => Kind switch
    {
        "params" => run.Params.FirstOrDefault(p => p.Key == Key)?.Value,
        "metrics" => run.Metrics.FirstOrDefault(m => m.Key == Key) is { } m ? UiFormat.Number(m.Value) : null,
        _ => run.Tags.FirstOrDefault(t => t.Key == Key)?.Value,
    };
}
