using Keel.Bench.Data;
using Keel.Bench.Evaluation;
using Keel.Bench.DataValidation;
using Keel.Bench.Monitoring;
using Keel.Bench.Reporting;
using Keel.Bench.Serving;
using Keel.Bench.Tracking;
using Keel.Bench.Ui;

namespace Keel.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!BenchOptions.TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync($"Error: {error}");
            await Console.Error.WriteLineAsync(BenchOptions.Usage);
            return BenchExitCodes.InvalidArguments;
        }

        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return BenchExitCodes.Success;
        }

        if (ServerProcess.BuildConfiguration != "Release")
        {
            await Console.Error.WriteLineAsync($"Error: this is a {ServerProcess.BuildConfiguration} build, which would measure unoptimized code. "
                + "Run: dotnet run -c Release --project bench/Keel.Bench -- tracking");
            return BenchExitCodes.InvalidArguments;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var scale = options.Quick ? TrackingScale.Quick : TrackingScale.Full;
        var output = options.OutputPath ?? DefaultOutputPath(options.Suite, scale);
        try
        {
            var report = options.Suite switch
            {
                "serving" => await ServingBenchmark.RunAsync(options.Quick, Console.Out, cancel.Token),
                "ui" => await UiBenchmark.RunAsync(options.Quick, Console.Out, cancel.Token),
                "data" => await DataBenchmark.RunAsync(options.Quick ? DataScale.Quick : DataScale.Full, Console.Out, cancel.Token),
                "drift" => await DriftBenchmark.RunAsync(options.Quick, Console.Out, cancel.Token),
                "evaluate" => await EvaluationBenchmark.RunAsync(options.Quick, Console.Out, cancel.Token),
                "validate" => await ValidationBenchmark.RunAsync(options.Quick, Console.Out, cancel.Token),
                _ => await TrackingBenchmark.RunAsync(scale, options.PostgresUrl, Console.Out, cancel.Token),
            };
            await ReportWriter.WriteJsonAsync(report, output, cancel.Token);
            Console.WriteLine();
            Console.Write(ReportWriter.Table(report));
            Console.WriteLine($"Report: {Path.GetFullPath(output)}");
            return BenchExitCodes.Success;
        }
        catch (BenchmarkException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}");
            return BenchExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return BenchExitCodes.Cancelled;
        }
    }

    /// <summary>bench/results/ under the repository this binary was built in (results are not committed).</summary>
    private static string DefaultOutputPath(string suite, TrackingScale scale)
    {
        var name = scale == TrackingScale.Full ? $"{suite}.json" : $"{suite}-{scale.Mode}.json";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
            {
                return Path.Combine(dir.FullName, "bench", "results", name);
            }
        }

        return Path.Combine("bench", "results", name);
    }
}
