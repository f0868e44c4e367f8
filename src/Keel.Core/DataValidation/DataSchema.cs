using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.DataValidation;

/// <summary>
/// What data must look like: the schema.json format of <c>keel validate-data --against</c>, and what a reference
/// version's stored profile is turned into, so both kinds of reference are checked by one validator.
/// </summary>
internal sealed record DataSchema
{
    public IReadOnlyList<ColumnSchema> Columns { get; init; } = [];

    /// <summary>The largest share of missing values any column may have (a column's own value overrides it).</summary>
    public double? MaxMissingShare { get; init; }

    /// <summary>The largest share of rows that repeat an earlier row exactly.</summary>
    public double? MaxDuplicateShare { get; init; }

    /// <summary>The largest population stability index of the --target column's distribution; 0.2 when not given.</summary>
    public double? MaxLabelPsi { get; init; }

    public const double DefaultMaxLabelPsi = 0.2;

    public static readonly string[] Types = ["integer", "double", "boolean", "datetime", "string"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads schema.json; anything malformed is a <see cref="FormatException"/> naming what is wrong.</summary>
    public static DataSchema Parse(string json)
    {
        DataSchema schema;
        try
        {
            schema = JsonSerializer.Deserialize<DataSchema>(json, JsonOptions) ?? throw new FormatException("The schema is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The schema is not valid: {e.Message}");
        }

        if (schema.Columns.Count == 0)
        {
            throw new FormatException("The schema lists no columns.");
        }

        foreach (var column in schema.Columns)
        {
            if (string.IsNullOrEmpty(column.Name))
            {
                throw new FormatException("Every schema column needs a name.");
            }

            if (column.Type is { } type && !Types.Contains(type))
            {
                throw new FormatException($"Column '{column.Name}' has type '{type}'; use one of {string.Join(", ", Types)}.");
            }

            if (column.Histogram is { } h && (h.Edges.Count != h.Counts.Count + 1 || h.Counts.Count == 0))
            {
                throw new FormatException($"Column '{column.Name}': a histogram needs one more edge than counts.");
            }
        }

        if (schema.Columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new FormatException($"Column '{duplicate.Key}' is listed twice.");
        }

        return schema;
    }
}

/// <summary>One column's expectations; every check is optional and applies only when its field is present.</summary>
internal sealed record ColumnSchema
{
    public string Name { get; init; } = "";

    /// <summary>integer, double, boolean, datetime or string; integers satisfy double and anything satisfies string.</summary>
    public string? Type { get; init; }

    public bool Nullable { get; init; } = true;

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The only values allowed, as text.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    public double? MaxMissingShare { get; init; }

    /// <summary>The reference label distribution by value (counts or weights) when this is the --target column.</summary>
    public IReadOnlyDictionary<string, double>? Distribution { get; init; }

    /// <summary>The reference label distribution as bins, for a numeric --target column.</summary>
    public SchemaHistogram? Histogram { get; init; }
}

internal sealed record SchemaHistogram(IReadOnlyList<double> Edges, IReadOnlyList<double> Counts);
