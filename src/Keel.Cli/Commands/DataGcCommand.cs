using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data gc [--grace SECONDS] [--json]</c>: deletes chunks no version references.</summary>
internal sealed class DataGcCommand : KeelCommand
{
    internal static readonly Option<double?> Grace = new("--grace")
    {
        Description = "Keep unreferenced chunks an add stored or committed within this many seconds (server default: 3600). " +
            "0 frees everything unreferenced; use it only while no add is running.",
    };

    public DataGcCommand()
        : base("gc", "Delete stored chunks that no dataset version references, and report what was freed.")
    {
        Options.Add(Grace);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var result = await CollectAsync(parseResult, client, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(result);
            return ExitCodes.Success;
        }

        output.Line(Describe(result));
        return ExitCodes.Success;
    }

    internal static Task<DataGarbageCollection> CollectAsync(ParseResult parseResult, KeelClient client, CancellationToken cancellationToken) =>
        client.Data.CollectGarbageAsync(parseResult.GetValue(Grace) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, cancellationToken);

    internal static string Describe(DataGarbageCollection r) =>
        $"Freed {r.FreedChunks} chunk(s), {DataCommand.Size(r.FreedBytes)}; kept {r.ReferencedChunks} referenced chunk(s)" +
        (r.GraceChunks > 0 ? $" and {r.GraceChunks} unreferenced chunk(s) used within the grace period (a later `keel data gc` frees them)." : ".");
}
