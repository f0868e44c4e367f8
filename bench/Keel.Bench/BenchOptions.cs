namespace Keel.Bench;

/// <summary>The command line: <c>tracking|serving|data|ui [--db URL] [--out PATH] [--quick]</c>.</summary>
internal sealed record BenchOptions(string Suite, string? OutputPath, bool Quick, bool Help, string? PostgresUrl = null)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Keel.Bench -- tracking|data [--db postgresql://...] [--out PATH] [--quick]

          tracking      Start a Keel server as a separate process on a loopback port with a fresh data
                        directory, drive the MLflow tracking API and report throughput and latency.
          data          Add 2 GB of mixed files (4 large, 2,000 small) with the .NET client to a fresh server,
                        compared with sha256sum over the same files in the same run, then add them again unchanged.
          --out PATH    Where to write the JSON report (default: bench/results/tracking.json, or
                        tracking-quick.json with --quick, under the repository root).
          --db URL      Also run ingest, search (10,000 and 100,000 runs) and history on PostgreSQL: each
                        workload gets a fresh database created (and dropped) on the server the URL names,
                        so its user needs CREATEDB. SQLite runs first, in the same run, for comparison.
          --quick       Scale every workload down about 10x: a smoke run, not a measurement.

        Usage: dotnet run -c Release --project bench/Keel.Bench -- drift [--out PATH] [--quick]

          drift         A full drift report in this process (no server) over a reference and a current table of
                        1,000,000 rows x 50 columns (40 numeric, 10 categorical) generated in memory.

        Usage: dotnet run -c Release --project bench/Keel.Bench -- evaluate [--out PATH] [--quick]

          evaluate      keel evaluate's computation in this process (no server): an ONNX binary classifier scored on
                        1,000,000 rows x 20 features, metrics, 5 slices with fairness, permutation importance
                        20 features x 5 repeats.

        Usage: dotnet run -c Release --project bench/Keel.Bench -- validate [--out PATH] [--quick]

          validate      keel validate-data's check in this process over 1,000,000 rows x 20 columns with planted
                        violations (out of range, unseen categories, 2% duplicate rows, label shift).

        Usage: dotnet run -c Release --project bench/Keel.Bench -- serving|ui [--out PATH] [--quick]

          ui            Start a Keel server, create 100,000 runs and 5 runs of 100,000 metric points, and time in
                        Debian's Chromium the experiment page's first page and the comparison chart (p95 of 20 loads).

          serving       Start a tracking server, register a FastTree model on it, run `keel serve` as a third
                        process and drive POST /invocations with wrk (64 connections, then 1); checks the
                        answer and that the prediction log holds every answered request after SIGTERM.
        """;

    public static bool TryParse(string[] args, out BenchOptions options, out string error)
    {
        options = new BenchOptions("", null, false, false);
        error = "";
        string? suite = null;
        string? output = null;
        var quick = false;
        string? postgres = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    options = options with { Help = true };
                    return true;
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--out":
                    error = "--out needs a file path.";
                    return false;
                case "--db" when i + 1 < args.Length && (args[i + 1].StartsWith("postgres", StringComparison.Ordinal) || args[i + 1].Contains("Host=", StringComparison.Ordinal)):
                    postgres = args[++i];
                    break;
                case "--db":
                    error = "--db needs a PostgreSQL URL: postgresql://user:password@host:5432/database.";
                    return false;
                case "tracking" or "serving" or "data" or "drift" or "evaluate" or "validate" or "ui" when suite is null:
                    suite = args[i];
                    break;
                default:
                    error = $"Unrecognized argument '{args[i]}'.";
                    return false;
            }
        }

        if (suite is null)
        {
            error = "Name a benchmark: tracking, serving, data, drift, evaluate, validate or ui.";
            return false;
        }

        options = new BenchOptions(suite, output, quick, false, postgres);
        return true;
    }
}
