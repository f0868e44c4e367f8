using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data tag NAME@VERSION TAG</c></summary>
internal sealed class DataTagCommand : KeelCommand
{
    private static readonly Argument<string> ReferenceArgument = new("REF") { Description = $"The version: {DataCommand.ReferenceForms}." };

    private static readonly Argument<string> TagArgument = new("TAG") { Description = "The tag; moved here if it pointed at another version." };

    public DataTagCommand()
        : base("tag", "Point a tag at a version, so NAME@TAG names it.")
    {
        Arguments.Add(ReferenceArgument);
        Arguments.Add(TagArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var tag = parseResult.GetRequiredValue(TagArgument);
        var version = await client.Data.TagAsync(parseResult.GetRequiredValue(ReferenceArgument), tag, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(version);
            return ExitCodes.Success;
        }

        output.Line($"Tagged {DataCommand.Describe(version)} as '{tag}'.");
        return ExitCodes.Success;
    }
}
