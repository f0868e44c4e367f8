using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel data versions NAME [--json]</c></summary>
internal sealed class DataVersionsCommand : KeelCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "The dataset's name." };

    public DataVersionsCommand()
        : base("versions", "List a dataset's versions, oldest first.")
    {
        Arguments.Add(NameArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var versions = await client.Data.ListVersionsAsync(parseResult.GetRequiredValue(NameArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(versions);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Version", "Files", "Size", "Tags", "Added", "Digest", "Message");
        foreach (var v in versions)
        {
            table.AddRow(v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), v.FileCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DataCommand.Size(v.Size), Markup.Escape(v.Tags.Count == 0 ? "-" : string.Join(", ", v.Tags)), Formatting.Time(v.CreationTime),
                v.Digest[..12], Markup.Escape(v.Message ?? ""));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
