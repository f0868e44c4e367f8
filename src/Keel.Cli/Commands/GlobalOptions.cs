using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary>Options every <c>keel</c> command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> TrackingUri = new("--tracking-uri")
    {
        Description = $"The tracking server's URL. Defaults to ${Client.TrackingUri.EnvironmentVariable}, else {Client.TrackingUri.Default}.",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of a table, for scripts.",
    };
}
