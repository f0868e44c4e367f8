using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel bench ARGS</c>: runs the benchmarks of this source checkout, <c>dotnet run -c Release --project
/// bench/Keel.Bench -- ARGS</c>. It execs rather than references the bench so that dependencies keep pointing
/// inward: the CLI ships without the bench, and the bench always measures a fresh Release build.
/// </summary>
internal sealed class BenchCommand : Command
{
    public const string SolutionFile = "Keel.slnx";

    private readonly Func<string> _currentDirectory;

    public BenchCommand(Func<string>? currentDirectory = null)
        : base("bench", "Run a benchmark from this Keel source checkout: keel bench tracking|serving|data|drift|evaluate [--db postgresql://...] [--out PATH] [--quick].")
    {
        _currentDirectory = currentDirectory ?? Directory.GetCurrentDirectory;
        // Everything after `bench` belongs to the bench program, which parses it itself.
        TreatUnmatchedTokensAsErrors = false;
        SetAction(RunAsync);
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Keel.slnx, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var error = parse.InvocationConfiguration.Error;
        var start = _currentDirectory();
        var root = FindRepositoryRoot(start);
        var project = root is null ? null : Path.Combine(root, "bench", "Keel.Bench");
        if (project is null || !Directory.Exists(project))
        {
            await error.WriteLineAsync($"Error: `keel bench` runs the benchmarks of a Keel source checkout, and no folder from {start} up "
                + $"holds {SolutionFile} with bench/Keel.Bench. Run it from inside the repository.");
            return ExitCodes.NotInRepository;
        }

        var run = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = start };
        foreach (var arg in new[] { "run", "-c", "Release", "--project", project, "--" }.Concat(parse.UnmatchedTokens))
        {
            run.ArgumentList.Add(arg);
        }

        Process? process;
        try
        {
            process = Process.Start(run);
        }
        catch (Win32Exception e)
        {
            await error.WriteLineAsync($"Error: could not run `dotnet` ({e.Message}); the bench needs the .NET SDK on PATH.");
            return ExitCodes.UnexpectedError;
        }

        using (process)
        {
            if (process is null)
            {
                await error.WriteLineAsync("Error: could not start `dotnet run` for the bench.");
                return ExitCodes.UnexpectedError;
            }

            // Ctrl-C reaches the bench too (same process group); it stops its server and exits, and we pass its code on.
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode;
        }
    }
}
