using System.Text.Json;

namespace Keel.Server.Ui;

/// <summary>A table's stored profile (written by the client as snake_case JSON), read for display.</summary>
internal sealed record DataProfileView(string Path, string Format, long Rows, IReadOnlyList<DataProfileView.Column> Columns)
{
    internal sealed record Column(string Name, string Type, long Nulls, long Distinct, double? Min, double? Max, double? Mean, double? Std, string? Top)
    {
        /// <summary>The column's statistics in one line: numbers' range and mean, other types' most frequent values.</summary>
        public string Summary => Mean is { } mean
            ? $"min {UiFormat.Number(Min ?? double.NaN)}, max {UiFormat.Number(Max ?? double.NaN)}, mean {UiFormat.Number(mean)}" +
              (Std is { } std ? $", std {UiFormat.Number(std)}" : "")
            : Top ?? "";
    }

    public static DataProfileView From(JsonElement profile)
    {
        var columns = new List<Column>();
        if (profile.TryGetProperty("columns", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in list.EnumerateArray())
            {
                var top = c.TryGetProperty("top_values", out var values) && values.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", values.EnumerateArray().Take(5).Select(v => $"{Text(v, "value")} ({Long(v, "count")})"))
                    : null;
                columns.Add(new Column(Text(c, "name") ?? "", Text(c, "type") ?? "", Long(c, "nulls"), Long(c, "distinct"),
                    Number(c, "min"), Number(c, "max"), Number(c, "mean"), Number(c, "std"), string.IsNullOrEmpty(top) ? null : top));
            }
        }

        return new DataProfileView(Text(profile, "path") ?? "", Text(profile, "format") ?? "", Long(profile, "rows"), columns);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
