using System.Diagnostics;
using Keel.Bench.Reporting;
using Keel.Core.Monitoring;

namespace Keel.Bench.Monitoring;

/// <summary>
/// A full drift report over a reference and a current table of 1,000,000 rows x 50 columns (40 numeric, 10
/// categorical), generated deterministically in memory, computed in this process. Issue 6's goal: ≤ 1 s and ≤ 2 GiB.
/// </summary>
internal static class DriftBenchmark
{
    private const int NumericColumns = 40;
    private const int CategoricalColumns = 10;
    private const int Categories = 20;

    /// <summary>Every fifth numeric column is shifted by half a standard deviation, every fifth categorical one re-weighted.</summary>
    private static bool Shifted(int column) => column % 5 == 0;

    public static async Task<BenchReport> RunAsync(bool quick, TextWriter progress, CancellationToken ct)
    {
        var rows = quick ? 100_000 : 1_000_000;
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] warm-up on 20,000 rows...");
        Report(Generate(20_000), 20_000, null);
        ct.ThrowIfCancellationRequested();

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] generating {rows:#,0} x {NumericColumns + CategoricalColumns} twice...");
        var tables = Generate(rows);
        GC.Collect();
        ct.ThrowIfCancellationRequested();

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] drift report...");
        var timings = new DriftTimings(ThreadCpuClock.Now, ThreadCpuClock.TicksPerSecond);
        var meter = PhaseMeter.StartInProcess();
        var report = Report(tables, rows, timings);
        var cost = meter.Stop();
        var peakBytes = PeakResidentBytes();
        Verify(report);

        var parameters = new Dictionary<string, object>
        {
            ["rows"] = rows, ["numeric_columns"] = NumericColumns, ["categorical_columns"] = CategoricalColumns, ["categories"] = Categories,
            ["cores"] = Environment.ProcessorCount,
        };
        const string Verified = "exactly the shifted columns drift (8 numeric by normalised Wasserstein, 2 categorical by Jensen-Shannon), no dataset drift";
        var judged = !quick;
        var timeGoal = new Target("drift report, 1M x 50", "s", HigherIsBetter: false, Goal: 1, Baseline: null).Check(cost.WallSeconds);
        var memoryGoal = new Target("peak memory (process)", "GiB", HigherIsBetter: false, Goal: 2, Baseline: null).Check(peakBytes / (double)(1L << 30));
        List<Measurement> measurements =
        [
            new("drift report", "DriftReporter.Compute over all 50 columns, columns in parallel: sort, KS/Wasserstein, PSI, chi-square/JS, quality, plots",
                parameters, cost.WallSeconds, "s", null, cost, Verified, judged ? [timeGoal] : []),
            new("peak resident memory", "VmHWM of the bench process after the report, including both generated tables", parameters,
                peakBytes / (double)(1L << 30), "GiB", null, cost, "-", judged ? [memoryGoal] : []),
            new("drift report CPU", "CPU seconds of the bench process during the report; / cores = the wall time on an idle machine at best",
                parameters, cost.ClientCpuSeconds, "s", null, cost, "-", []),
            .. (ThreadCpuClock.Available ? timings.Milliseconds : new Dictionary<string, double>()).OrderByDescending(p => p.Value).Select(p => new Measurement(
                $"cpu: {p.Key}", "thread CPU time of this step, summed over the columns it ran on", parameters, p.Value, "ms", null, cost, "-", [])),
        ];
        return new BenchReport(
            "drift",
            quick ? "quick" : "full",
            DateTimeOffset.UtcNow,
            MachineFacts.Current(ServerProcess.BuildConfiguration),
            new ServerFacts("none", "in process", "in memory", "No server: the report is computed in the bench process, as `keel drift` does."),
            measurements,
            measurements.SelectMany(m => m.Goals).ToList(),
            new BaselineSection("no baseline measured; Evidently, the usual Python tool, was not available offline", MeasuredInThisRun: false, new Dictionary<string, double>()));
    }

    private sealed record Tables(double[][] ReferenceNumbers, double[][] CurrentNumbers, int[][] ReferenceCodes, int[][] CurrentCodes, string[] Labels);

    private static DriftReport Report(Tables tables, int rows, DriftTimings? timings)
    {
        var samples = new ColumnSample[NumericColumns + CategoricalColumns];
        for (var c = 0; c < NumericColumns; c++)
        {
            samples[c] = new NumericSample($"n{c:00}", tables.ReferenceNumbers[c], tables.CurrentNumbers[c], 0, 0);
        }

        // Counting the codes is part of the report's work, so it runs inside the timed call.
        Parallel.For(0, CategoricalColumns, c =>
        {
            var clock = timings?.Now() ?? 0;
            samples[NumericColumns + c] = CategoricalSample.FromCodes($"c{c:00}", tables.Labels, tables.ReferenceCodes[c], tables.CurrentCodes[c]);
            timings?.Add("count_categories", ref clock);
        });
        return DriftReporter.Compute(samples, rows, rows, new DriftOptions(), timings: timings);
    }

    private static Tables Generate(int rows)
    {
        var referenceNumbers = new double[NumericColumns][];
        var currentNumbers = new double[NumericColumns][];
        Parallel.For(0, NumericColumns, c =>
        {
            referenceNumbers[c] = Numbers(rows, c, seed: 1000 + c, shift: 0);
            currentNumbers[c] = Numbers(rows, c, seed: 2000 + c, shift: Shifted(c) ? 0.5 : 0);
        });

        var referenceCodes = new int[CategoricalColumns][];
        var currentCodes = new int[CategoricalColumns][];
        Parallel.For(0, CategoricalColumns, c =>
        {
            referenceCodes[c] = Codes(rows, seed: 3000 + c, reweighted: false);
            currentCodes[c] = Codes(rows, seed: 4000 + c, reweighted: Shifted(c));
        });

        return new Tables(referenceNumbers, currentNumbers, referenceCodes, currentCodes,
            Enumerable.Range(0, Categories).Select(i => $"category-{i:00}").ToArray());
    }

    /// <summary>Normal, log-normal or rounded (many ties) values by column; a shift moves the mean by that many standard deviations.</summary>
    private static double[] Numbers(int rows, int column, int seed, double shift)
    {
        var random = new Random(seed);
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + shift;
            values[i] = (column % 3) switch
            {
                0 => column + z * (1 + column % 4),
                1 => Math.Exp(0.5 * z),
                _ => Math.Round(z * 10),
            };
        }

        return values;
    }

    /// <summary>Zipf-like weights over the categories (1% missing); re-weighted reverses half of the draws' ranking.</summary>
    private static int[] Codes(int rows, int seed, bool reweighted)
    {
        var random = new Random(seed);
        var cumulative = new double[Categories];
        var total = 0.0;
        for (var k = 0; k < Categories; k++)
        {
            total += 1.0 / (k + 1);
            cumulative[k] = total;
        }

        var codes = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            if (random.NextDouble() < 0.01)
            {
                codes[i] = -1;
                continue;
            }

            var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var code = Math.Min(index < 0 ? ~index : index, Categories - 1);
            codes[i] = reweighted && random.NextDouble() < 0.5 ? Categories - 1 - code : code;
        }

        return codes;
    }

    private static void Verify(DriftReport report)
    {
        var expected = Enumerable.Range(0, NumericColumns).Where(Shifted).Select(c => $"n{c:00}")
            .Concat(Enumerable.Range(0, CategoricalColumns).Where(Shifted).Select(c => $"c{c:00}")).Order(StringComparer.Ordinal).ToArray();
        var drifted = report.Columns.Where(c => c.Drifted == true).Select(c => c.Column).Order(StringComparer.Ordinal).ToArray();
        var tests = report.Columns.Select(c => c.Test).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (!drifted.SequenceEqual(expected) || report.DatasetDrift || !tests.SequenceEqual(["jensen_shannon", "wasserstein_normed"]))
        {
            throw new BenchmarkException($"Expected drift in {string.Join(",", expected)} only, by Wasserstein and JS; the report found {string.Join(",", drifted)} "
                + $"by {string.Join(",", tests)}, dataset drift {report.DatasetDrift}.");
        }
    }

    /// <summary>The process's peak resident set (VmHWM), which counts the generated tables as well as the report's work.</summary>
    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64
            : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
