using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy set-model NAME URI [--json]</c></summary>
internal sealed class DeploySetModelCommand : KeelCommand
{
    private static readonly Argument<string> ModelArgument = new("URI") { Description = "The new primary model URI." };

    public DeploySetModelCommand()
        : base("set-model", "Serve another primary model (a new revision; the canary stays).")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Arguments.Add(ModelArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var deployment = await DeployCommand.Changes(client).SetModelAsync(
            parseResult.GetRequiredValue(DeployCommand.NameArgument), parseResult.GetRequiredValue(ModelArgument), cancellationToken);
        return DeployCommand.Report(parseResult, output, deployment, "Updated");
    }
}
