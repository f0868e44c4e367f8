using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data get NAME@VERSION --to DIR</c></summary>
internal sealed class DataGetCommand : KeelCommand
{
    private static readonly Argument<string> ReferenceArgument = new("REF") { Description = $"The version: {DataCommand.ReferenceForms}." };

    private static readonly Option<string> ToOption = new("--to") { Description = "The directory to write; it must not exist, or be empty.", HelpName = "DIR", Required = true };

    public DataGetCommand()
        : base("get", "Write a version's files into a new directory, verified; nothing is left behind if it fails.")
    {
        Arguments.Add(ReferenceArgument);
        Options.Add(ToOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var to = parseResult.GetRequiredValue(ToOption);
        var version = await client.Data.GetAsync(parseResult.GetRequiredValue(ReferenceArgument), to, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(version);
            return ExitCodes.Success;
        }

        output.Line($"Wrote {DataCommand.Describe(version)} ({version.FileCount} files, {DataCommand.Size(version.Size)}) to {to}.");
        return ExitCodes.Success;
    }
}
