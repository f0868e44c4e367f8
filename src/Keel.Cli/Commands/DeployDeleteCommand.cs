using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy delete NAME</c></summary>
internal sealed class DeployDeleteCommand : KeelCommand
{
    public DeployDeleteCommand()
        : base("delete", "Delete a deployment and its revisions; hosts stop serving it. Its prediction-log rows stay.")
    {
        Arguments.Add(DeployCommand.NameArgument);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(DeployCommand.NameArgument);
        await DeployCommand.Changes(client).DeleteAsync(name, cancellationToken);
        output.Line($"Deleted {name}.");
        return ExitCodes.Success;
    }
}
