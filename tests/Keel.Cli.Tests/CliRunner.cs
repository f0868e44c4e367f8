using System.CommandLine;
using Keel.Cli.Commands;

// Commands keep their options in static fields, which record every command they are added to; building
// command trees from parallel tests would race on that, and one test changes MLFLOW_TRACKING_URI.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Keel.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KeelCommandLine.InvokeAsync(
            Program.CreateRootCommand(), args, new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
