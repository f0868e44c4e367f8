using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Keel.Pipelines.Execution;

/// <summary>
/// What a step ran on, written to each step run as <c>environment.json</c> so a result can be reproduced.
/// Python's version and packages are asked once per pipeline run and only if a step runs Python: pip is slow.
/// </summary>
internal sealed class EnvironmentRecord
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Lazy<Task<Dictionary<string, object?>>> _python = new(ProbePythonAsync);

    public async Task<string> WriteAsync(bool includePython, string directory, CancellationToken cancellationToken)
    {
        var record = new Dictionary<string, object?>
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["machine"] = Environment.MachineName,
        };
        if (includePython)
        {
            record["python"] = await _python.Value.WaitAsync(cancellationToken);
        }

        var file = Path.Combine(directory, "environment.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(record, Indented), cancellationToken);
        return file;
    }

    private static async Task<Dictionary<string, object?>> ProbePythonAsync()
    {
        var version = await RunAsync("python3", "--version");
        var freeze = await RunAsync("python3", "-m", "pip", "freeze");
        return new Dictionary<string, object?>
        {
            ["version"] = version?.Trim(),
            ["packages"] = freeze?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    // Null when the tool is missing or fails (Debian's python3 often has no pip); the record says so by omission.
    private static async Task<string?> RunAsync(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
