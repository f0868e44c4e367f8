using System.Diagnostics;
using Keel.Bench.Reporting;
using Keel.Core.DataValidation;
using Keel.Core.Monitoring;

namespace Keel.Bench.DataValidation;

/// <summary>
/// <c>keel validate-data</c>'s check over 1,000,000 rows x 20 columns (14 numeric, 6 categorical of 10 values, one of
/// them the label) generated in memory with planted violations, computed in this process after the table is read.
/// </summary>
internal static class ValidationBenchmark
{
    private const int NumericColumns = 14;
    private const int CategoricalColumns = 6;
    private const int Categories = 10;
    private const int OutOfRange = 100;
    private const int Unseen = 50;

    public static async Task<BenchReport> RunAsync(bool quick, TextWriter progress, CancellationToken ct)
    {
        var rows = quick ? 100_000 : 1_000_000;
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] warm-up on 20,000 rows...");
        Validate(Generate(20_000));
        ct.ThrowIfCancellationRequested();

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] generating {rows:#,0} x {NumericColumns + CategoricalColumns}...");
        var table = Generate(rows);
        GC.Collect();
        ct.ThrowIfCancellationRequested();

        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] validating...");
        var meter = PhaseMeter.StartInProcess();
        var report = Validate(table);
        var cost = meter.Stop();
        Verify(report, rows);

        var parameters = new Dictionary<string, object>
        {
            ["rows"] = rows, ["numeric_columns"] = NumericColumns, ["categorical_columns"] = CategoricalColumns, ["cores"] = Environment.ProcessorCount,
        };
        var verified = $"exactly the planted violations: {OutOfRange} out of range in n00, {Unseen} unseen categories in c01, {rows / 50:#,0} duplicate rows, label shift in c05";
        List<Measurement> measurements =
        [
            new("validate-data check", "DataValidator.Validate: types, nulls, ranges, categories, missing rates, duplicate rows, label PSI and chi-square",
                parameters, cost.WallSeconds, "s", null, cost, verified, []),
            new("validate-data CPU", "CPU seconds of the bench process during the check (it runs on one thread)",
                parameters, cost.ClientCpuSeconds, "s", null, cost, "-", []),
            new("peak resident memory", "VmHWM of the bench process after the check, including the generated table", parameters,
                PeakResidentBytes() / (double)(1L << 30), "GiB", null, cost, "-", []),
        ];
        return new BenchReport(
            "validate",
            quick ? "quick" : "full",
            DateTimeOffset.UtcNow,
            MachineFacts.Current(ServerProcess.BuildConfiguration),
            new ServerFacts("none", "in process", "in memory", "No server: the check runs in the bench process, as `keel validate-data` does."),
            measurements,
            [],
            new BaselineSection("no baseline measured; Great Expectations and TFDV were not available offline", MeasuredInThisRun: false, new Dictionary<string, double>()));
    }

    private static DataValidationReport Validate(DriftTable table)
    {
        var labels = Enumerable.Range(0, Categories).Select(k => $"v{k}").ToList();
        var schema = new DataSchema
        {
            MaxDuplicateShare = 0.01,
            MaxMissingShare = 0.05,
            Columns =
            [
                .. Enumerable.Range(0, NumericColumns).Select(c => new ColumnSchema { Name = $"n{c:00}", Type = "double", Min = -10, Max = 10 }),
                .. Enumerable.Range(0, CategoricalColumns).Select(c => new ColumnSchema
                {
                    Name = $"c{c:00}", Type = "string", Categories = labels,
                    Distribution = labels.ToDictionary(l => l, _ => table.Rows / (double)Categories),
                }),
            ],
        };
        return DataValidator.Validate(table, schema, "c05", "generated", "schema");
    }

    /// <summary>
    /// Uniform numbers in [-5, 5] and uniform categories; the last 2% of rows repeat the first 2%, the label is skewed,
    /// and the planted values sit in the middle, away from the repeated rows.
    /// </summary>
    private static DriftTable Generate(int rows)
    {
        var random = new Random(42);
        var duplicates = rows / 50;
        var columns = new List<TableColumn>();
        for (var c = 0; c < NumericColumns; c++)
        {
            var numbers = new double[rows];
            for (var i = 0; i < rows; i++)
            {
                numbers[i] = i >= rows - duplicates ? numbers[i - (rows - duplicates)] : random.NextDouble() * 10 - 5;
            }

            if (c == 0)
            {
                for (var i = 0; i < OutOfRange; i++)
                {
                    numbers[rows / 2 + i] = 11;
                }
            }

            columns.Add(new TableColumn($"n{c:00}", numbers, null, Enumerable.Range(0, Categories).Select(k => $"v{k}").ToList()));
        }

        for (var c = 0; c < CategoricalColumns; c++)
        {
            var labels = Enumerable.Range(0, Categories).Select(k => $"v{k}").Append("unseen").ToList();
            var codes = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                codes[i] = i >= rows - duplicates ? codes[i - (rows - duplicates)] : c == 5 && random.NextDouble() < 0.5 ? 0 : random.Next(Categories);
            }

            if (c == 1)
            {
                for (var i = 0; i < Unseen; i++)
                {
                    codes[rows / 2 + i] = Categories;
                }
            }

            columns.Add(new TableColumn($"c{c:00}", Enumerable.Repeat(double.NaN, rows).ToArray(), codes, labels));
        }

        return new DriftTable(rows, columns);
    }

    private static void Verify(DataValidationReport report, int rows)
    {
        string[] expected = ["out_of_range n00", "unseen_category c01", "duplicate_rows ", "label_shift c05"];
        var found = report.Violations.Select(v => $"{v.Kind} {v.Column}").ToArray();
        if (!found.SequenceEqual(expected) || !report.Violations[2].Message.StartsWith($"{rows / 50} of {rows}", StringComparison.Ordinal)
            || !report.Violations[0].Message.StartsWith($"{OutOfRange} values", StringComparison.Ordinal))
        {
            throw new BenchmarkException($"Expected {string.Join("; ", expected)}; the check found {string.Join("; ", report.Violations.Select(v => $"{v.Kind} {v.Column}: {v.Message}"))}.");
        }
    }

    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64
            : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
