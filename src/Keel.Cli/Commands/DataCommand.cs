using System.CommandLine;
using System.Globalization;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data</c>: groups the verbs that work on content-addressed dataset versions.</summary>
internal sealed class DataCommand : Command
{
    public DataCommand()
        : base("data", "Version datasets: add files or trees, list versions, get, tag, diff, delete and verify them.")
    {
        Subcommands.Add(new DataAddCommand());
        Subcommands.Add(new DataVersionsCommand());
        Subcommands.Add(new DataGetCommand());
        Subcommands.Add(new DataTagCommand());
        Subcommands.Add(new DataProfileCommand());
        Subcommands.Add(new DataDiffCommand());
        Subcommands.Add(new DataLineageCommand());
        Subcommands.Add(new DataRmCommand());
        Subcommands.Add(new DataVerifyCommand());
        Subcommands.Add(new DataGcCommand());
    }

    internal const string ReferenceForms = "NAME@VERSION, NAME@latest, NAME@TAG or NAME";

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };

    internal static string Describe(DatasetVersion v) => $"{v.Name}@{v.Version}";
}
