namespace Keel.Bench;

/// <summary>The command line: <c>tracking [--out PATH] [--quick]</c>.</summary>
internal sealed record BenchOptions(string Suite, string? OutputPath, bool Quick, bool Help)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Keel.Bench -- tracking [--out PATH] [--quick]

          tracking      Start a Keel server as a separate process on a loopback port with a fresh data
                        directory, drive the MLflow tracking API and report throughput and latency.
          --out PATH    Where to write the JSON report (default: bench/results/tracking.json, or
                        tracking-quick.json with --quick, under the repository root).
          --quick       Scale every workload down about 10x: a smoke run, not a measurement.
        """;

    public static bool TryParse(string[] args, out BenchOptions options, out string error)
    {
        options = new BenchOptions("", null, false, false);
        error = "";
        string? suite = null;
        string? output = null;
        var quick = false;
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
                case "tracking" when suite is null:
                    suite = args[i];
                    break;
                default:
                    error = $"Unrecognized argument '{args[i]}'.";
                    return false;
            }
        }

        if (suite is null)
        {
            error = "Name a benchmark: tracking.";
            return false;
        }

        options = new BenchOptions(suite, output, quick, false);
        return true;
    }
}
