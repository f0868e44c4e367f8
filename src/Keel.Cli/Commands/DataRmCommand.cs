using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data rm NAME@VERSION [--grace SECONDS]</c>: deletes the version, then collects the chunks no version references.</summary>
internal sealed class DataRmCommand : KeelCommand
{
    private static readonly Argument<string> ReferenceArgument = new("REF") { Description = "The version to delete: NAME@VERSION." };

    public DataRmCommand()
        : base("rm", "Delete a version nothing refers to (a tagged version, or one a run used, is kept), then free its chunks no other version uses.")
    {
        Arguments.Add(ReferenceArgument);
        Options.Add(DataGcCommand.Grace);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var reference = parseResult.GetRequiredValue(ReferenceArgument);
        var version = await client.Data.GetVersionAsync(reference, cancellationToken);
        await client.Data.DeleteVersionAsync($"{version.Name}@{version.Version}", cancellationToken);
        output.Line($"Deleted {DataCommand.Describe(version)}.");
        output.Line(DataGcCommand.Describe(await DataGcCommand.CollectAsync(parseResult, client, cancellationToken)));
        return ExitCodes.Success;
    }
}
