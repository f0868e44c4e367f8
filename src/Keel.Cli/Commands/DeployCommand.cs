using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy</c>: groups the verbs that define managed deployments and move them between revisions.</summary>
internal sealed class DeployCommand : Command
{
    public DeployCommand()
        : base("deploy", "Manage deployments: what `keel serve --deployment` serves, with a revision per change and rollback.")
    {
        Subcommands.Add(new DeployCreateCommand());
        Subcommands.Add(new DeploySetModelCommand());
        Subcommands.Add(new DeploySetCanaryCommand());
        Subcommands.Add(new DeploySetShadowCommand());
        Subcommands.Add(new DeployRollbackCommand());
        Subcommands.Add(new DeployHistoryCommand());
        Subcommands.Add(new DeployListCommand());
        Subcommands.Add(new DeployDeleteCommand());
    }

    internal static readonly Argument<string> NameArgument = new("NAME") { Description = "The deployment's name." };

    internal static readonly Option<string?> CanaryOption = new("--canary") { Description = "A canary model URI to send part of the traffic to." };

    internal static readonly Option<int?> CanaryPercentOption = new("--canary-percent")
    {
        Description = "The canary's share of requests, 0 to 100.",
    };

    /// <summary>The client for changes, recording them as the OS user so the history says who moved what.</summary>
    internal static KeelDeploymentClient Changes(KeelClient client)
    {
        client.Deployments.User = Environment.UserName;
        return client.Deployments;
    }

    /// <summary>The canary the options describe: both or neither of --canary and --canary-percent.</summary>
    internal static DeploymentCanary? Canary(ParseResult parseResult)
    {
        var model = parseResult.GetValue(CanaryOption);
        var percent = parseResult.GetValue(CanaryPercentOption);
        return (model, percent) switch
        {
            (null, null) => null,
            ({ } m, { } p) => new DeploymentCanary(m, p),
            _ => throw new FormatException("--canary and --canary-percent go together: give both."),
        };
    }

    internal static int Report(ParseResult parseResult, CliOutput output, Deployment deployment, string what)
    {
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(deployment);
            return ExitCodes.Success;
        }

        output.Line($"{what} {deployment.Name} at revision {deployment.Latest.Revision}: {Describe(deployment.Latest)}");
        return ExitCodes.Success;
    }

    internal static string Describe(DeploymentRevision revision) =>
        revision.Model + (revision.Canary is { } c ? $", canary {c.Model} at {c.Percent}%" : "") +
        (revision.Shadow is { } shadow ? $", shadow {shadow}" : "");
}
