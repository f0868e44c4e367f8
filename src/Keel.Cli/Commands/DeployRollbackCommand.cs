using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy rollback NAME [--to REV] [--json]</c></summary>
internal sealed class DeployRollbackCommand : KeelCommand
{
    private static readonly Option<long?> ToOption = new("--to") { Description = "The revision to go back to; by default the one before the latest." };

    public DeployRollbackCommand()
        : base("rollback", "Go back to an earlier revision's models (recorded as a new revision).")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Options.Add(ToOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var deployment = await DeployCommand.Changes(client).RollbackAsync(
            parseResult.GetRequiredValue(DeployCommand.NameArgument), parseResult.GetValue(ToOption), cancellationToken);
        return DeployCommand.Report(parseResult, output, deployment, "Rolled back");
    }
}
