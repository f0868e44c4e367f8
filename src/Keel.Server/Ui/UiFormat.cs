using System.Globalization;

namespace Keel.Server.Ui;

/// <summary>How the pages write times and numbers: UTC and invariant culture, so a shared link reads the same for everyone.</summary>
internal static class UiFormat
{
    public static string Time(long? milliseconds) => milliseconds is { } ms and > 0
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "";

    public static string Duration(long start, long? end)
    {
        if (end is not { } e || e < start)
        {
            return "";
        }

        var span = TimeSpan.FromMilliseconds(e - start);
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s";
    }

    /// <summary>How long ago, in the largest whole unit: "3 days", "5 h", "12 min".</summary>
    public static string Age(long milliseconds, long now)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, now - milliseconds));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalMinutes} min";
    }

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage with one decimal, "2.1%" (the invariant culture's P1 would write "2.1 %").</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;
}
