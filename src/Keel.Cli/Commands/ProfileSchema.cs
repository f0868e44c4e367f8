using Keel.Client;
using Keel.Core.DataValidation;

namespace Keel.Cli.Commands;

/// <summary>
/// Turns a reference version's stored table profile into the checks <c>keel validate-data</c> applies: its columns
/// and types, non-nullable where it had no missing values, its numeric range, its category set when the profile lists
/// every value, and its missing share plus <see cref="MissingTolerance"/>.
/// </summary>
internal static class ProfileSchema
{
    public const double MissingTolerance = 0.05;

    public const double DefaultMaxDuplicateShare = 0.05;

    public static DataSchema From(TableProfile profile) => new()
    {
        MaxDuplicateShare = DefaultMaxDuplicateShare,
        Columns = profile.Columns.Select(c => new ColumnSchema
        {
            Name = c.Name,
            Type = c.Type,
            Nullable = c.Nulls > 0,
            Min = c.Min,
            Max = c.Max,
            Categories = IsComplete(c) && c.Type == "string" ? c.TopValues.Select(v => v.Value).ToList() : null,
            MaxMissingShare = profile.Rows > 0 ? Math.Min(1, (double)c.Nulls / profile.Rows + MissingTolerance) : null,
            Distribution = IsComplete(c) && c.Type is "string" or "boolean" ? c.TopValues.ToDictionary(v => v.Value, v => (double)v.Count, StringComparer.Ordinal) : null,
            Histogram = c.Histogram is { } h ? new SchemaHistogram(h.Edges, h.Counts.Select(n => (double)n).ToList()) : null,
        }).ToList(),
    };

    // Top values are kept for the most frequent few; only when they are all the values is the set a category list.
    private static bool IsComplete(ColumnProfile column) =>
        column.DistinctExact && column.Distinct > 0 && column.Distinct == column.TopValues.Count;
}
