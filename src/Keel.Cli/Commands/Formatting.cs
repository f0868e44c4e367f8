using System.Globalization;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary>How tables show times, durations and numbers.</summary>
internal static class Formatting
{
    public static string Time(long? unixMilliseconds) => unixMilliseconds is { } ms and > 0
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "-";

    public static string Duration(RunInfo info)
    {
        if (info.StartTime <= 0 || info.EndTime is not { } end || end < info.StartTime)
        {
            return "-";
        }

        var duration = TimeSpan.FromMilliseconds(end - info.StartTime);
        return duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h {duration.Minutes}m"
            : duration.TotalMinutes >= 1 ? $"{duration.Minutes}m {duration.Seconds}s"
            : $"{duration.TotalSeconds:0.0}s";
    }

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => status.ToString(),
    };
}
