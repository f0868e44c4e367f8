using System.Globalization;
using Keel.Core.Monitoring;

namespace Keel.Core.DataValidation;

internal static partial class DataValidator
{
    /// <summary>
    /// The narrowest type every present value fits, by the data profiler's rules (integer, double, boolean,
    /// ISO-shaped datetime, else string), so a file and the profile of the same file agree; null when all are missing.
    /// </summary>
    internal static string? InferType(TableColumn column)
    {
        var present = Enumerable.Range(0, column.Length).Where(r => !column.IsMissing(r)).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        if (present.All(r => !double.IsNaN(column.Numbers[r])))
        {
            return present.All(r => IsWhole(column.Numbers[r])) ? "integer" : "double";
        }

        var texts = present.Select(column.Text).OfType<string>().ToList();
        return texts.All(IsBoolean) ? "boolean" : texts.All(IsDate) ? "datetime" : "string";
    }

    /// <summary>Integers are doubles too, and any value is a string.</summary>
    private static bool Satisfies(string actual, string expected) =>
        actual == expected || expected == "string" || (expected == "double" && actual == "integer");

    private static string FirstNotOf(TableColumn column, string type) =>
        Enumerable.Range(0, column.Length).Select(column.Text).OfType<string>().FirstOrDefault(v => !Fits(v, type)) ?? "";

    private static bool Fits(string value, string type) => type switch
    {
        "integer" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && IsWhole(n),
        "double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "boolean" => IsBoolean(value),
        "datetime" => IsDate(value),
        _ => true,
    };

    private static bool IsWhole(double value) => double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 9.007199254740992E15;

    private static bool IsBoolean(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    // Only ISO-shaped dates (yyyy-MM-dd...), as the profiler reads them.
    private static bool IsDate(string value) =>
        value.Length >= 10 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[3]) && value[4] == '-' && value[7] == '-'
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
