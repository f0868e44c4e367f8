using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data add PATH --name NAME [-m MESSAGE] [--json]</c></summary>
internal sealed class DataAddCommand : KeelCommand
{
    private static readonly Argument<string> PathArgument = new("PATH") { Description = "A file or a directory tree, any format." };

    private static readonly Option<string> NameOption = new("--name", "-n") { Description = "The dataset's name.", HelpName = "NAME", Required = true };

    private static readonly Option<string?> MessageOption = new("--message", "-m") { Description = "A note about this version.", HelpName = "MESSAGE" };

    public DataAddCommand()
        : base("add", "Add a file or directory as the next version of a dataset; only chunks the server lacks are uploaded.")
    {
        Arguments.Add(PathArgument);
        Options.Add(NameOption);
        Options.Add(MessageOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var result = await client.Data.AddAsync(
            parseResult.GetRequiredValue(PathArgument), parseResult.GetRequiredValue(NameOption), parseResult.GetValue(MessageOption), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(result);
            return ExitCodes.Success;
        }

        var v = result.Version;
        output.Line(result.Created
            ? $"Added {DataCommand.Describe(v)}: {v.FileCount} files, {DataCommand.Size(v.Size)}, digest {v.Digest}."
            : $"Unchanged: the files are exactly {DataCommand.Describe(v)} (digest {v.Digest}); no new version.");
        output.Line($"Uploaded {result.UploadedChunks} of {result.Chunks} chunks ({DataCommand.Size(result.UploadedBytes)}); the rest were already stored.");
        return ExitCodes.Success;
    }
}
