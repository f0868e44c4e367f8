using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel data verify NAME [--json]</c>: exits with <see cref="ExitCodes.IntegrityError"/> when a chunk fails.</summary>
internal sealed class DataVerifyCommand : KeelCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { Description = "The dataset's name." };

    public DataVerifyCommand()
        : base("verify", "Read back every stored chunk of every version of a dataset and check it against its SHA-256.")
    {
        Arguments.Add(NameArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var result = await client.Data.VerifyAsync(parseResult.GetRequiredValue(NameArgument), cancellationToken);
        var status = result.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.IntegrityError;
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(result);
            return status;
        }

        output.Line($"Checked {result.Chunks} chunks of {result.Versions} version(s) of '{result.Name}'.");
        foreach (var problem in result.Problems)
        {
            output.Error($"chunk {problem.ChunkId} {problem.Problem}; used by {string.Join(", ", problem.Files)}");
        }

        output.Line(result.Problems.Count == 0 ? "All chunks are intact." : $"{result.Problems.Count} chunk(s) failed verification.");
        return status;
    }
}
