using System.Diagnostics;

namespace Keel.Testing;

/// <summary>
/// Debian's Python with the packages ./test installs (python3-yaml, python3-onnx): the real PyYAML that
/// MLflow reads MLmodel with and the real onnx package mlflow.onnx loads models with.
/// </summary>
public static class DebianPython
{
    public const string Executable = "/usr/bin/python3";

    /// <summary>Runs a script and returns its standard output; throws with its standard error if it fails.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), "keel-py-" + Guid.NewGuid().ToString("N") + ".py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(file);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"python3 exited with {process.ExitCode}: {await error}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
