using System.CommandLine;
using Keel.Cli.Commands;

namespace Keel.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => KeelCommandLine.InvokeAsync(CreateRootCommand(), args);

    // The table of contents of `keel`: one line per top-level command.
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Keel: track experiments and runs, and register models, on an MLflow-compatible server.");
        root.Options.Add(GlobalOptions.TrackingUri);

        root.Subcommands.Add(new ServerCommand());
        root.Subcommands.Add(new DemoCommand());
        root.Subcommands.Add(new ExperimentsCommand());
        root.Subcommands.Add(new RunsCommand());
        root.Subcommands.Add(new ModelsCommand());
        root.Subcommands.Add(new ServeCommand());
        root.Subcommands.Add(new DataCommand());
        root.Subcommands.Add(new DeployCommand());
        root.Subcommands.Add(new MonitorCommand());
        root.Subcommands.Add(new DriftCommand());
        root.Subcommands.Add(new EvaluateCommand());
        root.Subcommands.Add(new TraceCommand());
        root.Subcommands.Add(new GateCommand());
        root.Subcommands.Add(new ValidateDataCommand());
        root.Subcommands.Add(new UsersCommand());
        root.Subcommands.Add(new GrantsCommand());
        root.Subcommands.Add(new TokensCommand());
        root.Subcommands.Add(new AuditCommand());
        root.Subcommands.Add(new BenchCommand());
        root.Subcommands.Add(new DbCommand());
        root.Subcommands.Add(new PipelineCommand());

        return root;
    }
}
