using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy set-canary NAME (--canary URI --canary-percent N | --remove) [--json]</c></summary>
internal sealed class DeploySetCanaryCommand : KeelCommand
{
    private static readonly Option<bool> RemoveOption = new("--remove") { Description = "Remove the canary: all traffic to the primary model." };

    public DeploySetCanaryCommand()
        : base("set-canary", "Set or remove the canary (a new revision; the primary model stays).")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Options.Add(DeployCommand.CanaryOption);
        Options.Add(DeployCommand.CanaryPercentOption);
        Options.Add(RemoveOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var canary = DeployCommand.Canary(parseResult);
        if (canary is null == !parseResult.GetValue(RemoveOption))
        {
            throw new FormatException("Give either --canary URI --canary-percent N, or --remove.");
        }

        var deployment = await DeployCommand.Changes(client).SetCanaryAsync(parseResult.GetRequiredValue(DeployCommand.NameArgument), canary, cancellationToken);
        return DeployCommand.Report(parseResult, output, deployment, "Updated");
    }
}
