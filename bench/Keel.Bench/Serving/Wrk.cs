using System.Diagnostics;
using System.Globalization;

namespace Keel.Bench.Serving;

/// <summary>What one wrk run measured: completed requests, failures, and latency percentiles over every request.</summary>
internal sealed record WrkResult(long Requests, long Failures, double Seconds, LatencySummary Latency)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// Drives HTTP load with wrk (Debian's package), a separate C process, so the load generator's cost is visible as
/// "other" CPU and not mixed into the bench's. Its Lua <c>done</c> hook prints the exact percentiles wrk recorded.
/// </summary>
internal static class Wrk
{
    private const string Script = """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.body = io.open(os.getenv("KEEL_BENCH_BODY")):read("*a")
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("keel requests %d\n", summary.requests))
          io.write(string.format("keel failures %d\n", e.status + e.connect + e.read + e.write + e.timeout))
          io.write(string.format("keel duration_us %d\n", summary.duration))
          io.write(string.format("keel mean_us %f\n", latency.mean))
          io.write(string.format("keel max_us %d\n", latency.max))
          for _, p in pairs({50, 95, 99}) do
            io.write(string.format("keel p%d_us %d\n", p, latency:percentile(p)))
          end
        end
        """;

    public static async Task<WrkResult> RunAsync(Uri url, string body, int connections, TimeSpan duration, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("keel-bench-wrk-").FullName;
        try
        {
            var script = Path.Combine(directory, "post.lua");
            var bodyFile = Path.Combine(directory, "body.json");
            await File.WriteAllTextAsync(script, Script, ct);
            await File.WriteAllTextAsync(bodyFile, body, ct);
            var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                "-t", Math.Min(connections, 2).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s", "-s", script, url.ToString(),
            })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["KEEL_BENCH_BODY"] = bodyFile;
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new BenchmarkException("Could not start wrk.");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new BenchmarkException("wrk is not installed; install it with `apt-get install -y wrk`.");
            }

            using (process)
            {
                var output = await process.StandardOutput.ReadToEndAsync(ct);
                var error = await process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0)
                {
                    throw new BenchmarkException($"wrk exited with code {process.ExitCode}: {error}{output}");
                }

                return Parse(output);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static WrkResult Parse(string output)
    {
        var values = output.Split('\n')
            .Where(l => l.StartsWith("keel ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[1], p => double.Parse(p[2], CultureInfo.InvariantCulture));
        double Get(string key) => values.TryGetValue(key, out var v) ? v : throw new BenchmarkException($"wrk printed no '{key}':{Environment.NewLine}{output}");
        var requests = (long)Get("requests");
        var latency = new LatencySummary((int)requests, Get("mean_us") / 1000, Get("p50_us") / 1000, Get("p95_us") / 1000, Get("p99_us") / 1000, Get("max_us") / 1000);
        return new WrkResult(requests, (long)Get("failures"), Get("duration_us") / 1e6, latency);
    }
}
