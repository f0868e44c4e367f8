using System.Diagnostics;

namespace Keel.Pipelines.Execution;

/// <summary>How one attempt of a step's command ended.</summary>
/// <param name="ExitCode">The command's exit code; -1 if it was killed.</param>
internal sealed record ProcessOutcome(int ExitCode, bool TimedOut, TimeSpan Duration);

/// <summary>
/// Runs a step's command with its output going to log files. A timeout or cancellation kills the whole process
/// tree: a shell that started <c>python train.py</c> must not leave the trainer running.
/// </summary>
internal static class StepProcess
{
    // A command that exits while something it started in the background still holds its stdout would otherwise
    // keep the log copy waiting forever; after this grace the log is closed with what arrived.
    private static readonly TimeSpan LogDrainGrace = TimeSpan.FromSeconds(2);

    private const int CommandNotFound = 127;

    public static async Task<ProcessOutcome> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        Stream stdout,
        Stream stderr,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{argv[0]}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // As a shell reports a missing command: exit code 127, the reason in the step's stderr log.
            await stderr.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"keel: could not start '{argv[0]}': {ex.Message}\n"), cancellationToken);
            return new ProcessOutcome(CommandNotFound, TimedOut: false, stopwatch.Elapsed);
        }

        using var _ = process;
        process.StandardInput.Close();
        var copies = Task.WhenAll(
            process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None),
            process.StandardError.BaseStream.CopyToAsync(stderr, CancellationToken.None));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Drain(copies);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessOutcome(-1, TimedOut: true, stopwatch.Elapsed);
        }

        await Drain(copies);
        return new ProcessOutcome(process.ExitCode, TimedOut: false, stopwatch.Elapsed);
    }

    private static async Task Drain(Task copies)
    {
        try
        {
            await copies.WaitAsync(LogDrainGrace);
        }
        catch (TimeoutException)
        {
            // The logs keep what arrived; see LogDrainGrace.
        }
    }
}
