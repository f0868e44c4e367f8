using System.Diagnostics;
using Keel.Bench.Reporting;
using Keel.Client;

namespace Keel.Bench.Data;

/// <summary>The sizes of the data suite: a few large files and many small ones.</summary>
internal sealed record DataScale(string Mode, int LargeFiles, int LargeFileMiB, int SmallFiles, int SmallFileMaxKiB, int TableRows)
{
    public static DataScale Full { get; } = new("full", 4, 448, 2000, 256, 2_000_000);

    public static DataScale Quick { get; } = new("quick", 4, 44, 200, 256, 200_000);
}

/// <summary>
/// <c>keel data add</c> throughput against <c>sha256sum</c> over the same files in the same run, and the speed-up of
/// re-adding unchanged data. The files are written once, then read by sha256sum untimed so both timed readers find
/// them in the page cache.
/// </summary>
internal static class DataBenchmark
{
    public static async Task<BenchReport> RunAsync(DataScale scale, TextWriter progress, CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("keel-bench-data-").FullName;
        try
        {
            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] writing {scale.LargeFiles} large and {scale.SmallFiles} small files...");
            var files = WriteFiles(root, scale);
            var bytes = files.Sum(f => new FileInfo(f).Length);
            var megabytes = bytes / 1e6;
            await RunSha256SumAsync(files, ct);

            await using var server = await ServerProcess.StartAsync(TimeSpan.FromSeconds(60), [], ct);
            using var client = new KeelClient(server.BaseAddress.ToString());
            client.Data.CacheDirectory = Path.Combine(root, "cache");
            var parameters = new Dictionary<string, object>
            {
                ["files"] = files.Count, ["bytes"] = bytes, ["large_files"] = scale.LargeFiles, ["large_file_mib"] = scale.LargeFileMiB,
                ["small_files"] = scale.SmallFiles, ["small_file_max_kib"] = scale.SmallFileMaxKiB,
            };

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] sha256sum over {megabytes:#,0} MB...");
            var shaMeter = PhaseMeter.Start(server);
            await RunSha256SumAsync(files, ct);
            var shaCost = shaMeter.Stop();
            var shaRate = megabytes / shaCost.WallSeconds;

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] keel data add (first)...");
            var addMeter = PhaseMeter.Start(server);
            var first = await client.Data.AddAsync(Path.Combine(root, "data"), "bench", "first add", ct);
            var addCost = addMeter.Stop();
            if (!first.Created || first.Version.Size != bytes || first.Version.FileCount != files.Count || first.UploadedBytes != bytes)
            {
                throw new BenchmarkException($"The first add recorded {first.Version.FileCount} files and {first.Version.Size} bytes, uploading {first.UploadedBytes}; expected {files.Count} files and {bytes} bytes.");
            }

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] keel data add (unchanged)...");
            var againMeter = PhaseMeter.Start(server);
            var again = await client.Data.AddAsync(Path.Combine(root, "data"), "bench", "unchanged", ct);
            var againCost = againMeter.Stop();
            if (again.Created || again.UploadedChunks != 0 || again.Version.Digest != first.Version.Digest)
            {
                throw new BenchmarkException($"Re-adding unchanged data created a version or uploaded {again.UploadedChunks} chunks.");
            }

            var verification = await client.Data.VerifyAsync("bench", ct);
            if (verification.Problems.Count > 0 || verification.Chunks != first.Chunks)
            {
                throw new BenchmarkException($"The server's verify found {verification.Problems.Count} bad chunks of {verification.Chunks}.");
            }

            await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] profiling the add's parts (read, SHA-256, FastCDC, both)...");
            var addProfile = DataAddProfile.Run(server, files, megabytes, parameters);
            var tableMeasurements = await MeasureProfilingAsync(server, client, root, scale, progress, ct);

            var addRate = megabytes / addCost.WallSeconds;
            var speedup = addCost.WallSeconds / againCost.WallSeconds;
            var judged = scale == DataScale.Full;
            var addGoal = new Target("data add vs sha256sum", "MB/s", HigherIsBetter: true, Goal: Math.Round(0.8 * shaRate, 1), Baseline: null).Check(addRate);
            var speedupGoal = new Target("re-add unchanged speed-up", "x", HigherIsBetter: true, Goal: 5, Baseline: null).Check(speedup);
            const string Verified = "version size, file count and uploaded bytes equal the files written; the server's verify re-hashed every chunk";
            List<Measurement> measurements =
            [
                new("sha256sum (reference)", "sha256sum of every file, one process, files in the page cache", parameters, shaRate, "MB/s", null, shaCost,
                    "-", []),
                new("data add, first", "KeelClient.Data.AddAsync of the tree to a fresh server: FastCDC, SHA-256, upload, commit", parameters, addRate,
                    "MB/s", null, addCost, Verified, judged ? [addGoal] : []),
                new("data add, unchanged", "the same add again: every chunk is already stored, no version is created", parameters,
                    megabytes / againCost.WallSeconds, "MB/s", null, againCost, "no chunk uploaded, no version created, same digest", []),
                new("re-add speed-up", "first add time / unchanged add time", parameters, speedup, "x", null, againCost, "-", judged ? [speedupGoal] : []),
                .. addProfile,
                .. tableMeasurements,
            ];
            return new BenchReport(
                "data",
                scale.Mode,
                DateTimeOffset.UtcNow,
                MachineFacts.Current(ServerProcess.BuildConfiguration),
                new ServerFacts(ServerProcess.ServerAssemblyPath,
                    "dotnet Keel.Server.dll --urls http://127.0.0.1:PORT --Storage:DataDirectory <fresh temp dir>",
                    "SQLite metadata, chunks in the local artifact store (fsync per chunk)",
                    "Client (this process) and server share the machine's cores; sha256sum runs alone."),
                measurements,
                measurements.SelectMany(m => m.Goals).ToList(),
                new BaselineSection("sha256sum is measured in this run; there is no MLflow counterpart", MeasuredInThisRun: true, new Dictionary<string, double>()));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The cost of profiling a CSV at add time: the same bytes are first added as <c>.bin</c> (so every chunk is stored),
    /// then timed once more as <c>.bin</c> (chunk and hash only) and as <c>.csv</c> (chunk, hash and profile).
    /// </summary>
    private static async Task<List<Measurement>> MeasureProfilingAsync(
        ServerProcess server, KeelClient client, string root, DataScale scale, TextWriter progress, CancellationToken ct)
    {
        var random = new Random(7);
        var bin = Path.Combine(root, "table", "rows.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(bin)!);
        await using (var writer = new StreamWriter(bin))
        {
            await writer.WriteLineAsync("id,amount,score,category,flag");
            for (var i = 0; i < scale.TableRows; i++)
            {
                await writer.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{i},{random.Next(0, 100_000)},{random.NextDouble() * 10:0.0000},c{random.Next(0, 50)},{(random.Next(2) == 0 ? "true" : "false")}"));
            }
        }

        var csv = Path.Combine(root, "table-csv", "rows.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        File.Copy(bin, csv);
        var megabytes = new FileInfo(bin).Length / 1e6;
        var parameters = new Dictionary<string, object> { ["rows"] = scale.TableRows, ["columns"] = 5, ["bytes"] = new FileInfo(bin).Length };
        await progress.WriteLineAsync($"[{DateTime.Now:HH:mm:ss}] profiling a {megabytes:#,0} MB CSV of {scale.TableRows:#,0} rows...");
        await client.Data.AddAsync(bin, "bench-table-bin", null, ct);
        var plainMeter = PhaseMeter.Start(server);
        await client.Data.AddAsync(bin, "bench-table-bin-again", null, ct);
        var plainCost = plainMeter.Stop();
        var csvMeter = PhaseMeter.Start(server);
        var added = await client.Data.AddAsync(csv, "bench-table-csv", null, ct);
        var csvCost = csvMeter.Stop();
        var profile = (await client.Data.GetProfilesAsync($"bench-table-csv@{added.Version.Version}", ct)).Single();
        if (added.UploadedChunks != 0 || profile.Rows != scale.TableRows || profile.Columns.Count != 5)
        {
            throw new BenchmarkException($"The CSV add uploaded {added.UploadedChunks} chunks and profiled {profile.Rows} rows in {profile.Columns.Count} columns.");
        }

        const string Checked = "no chunk uploaded; the stored profile has every row and all 5 columns";
        return
        [
            new("data add, CSV profiled", "AddAsync of a CSV whose chunks are stored: chunk, hash and profile", parameters, scale.TableRows / csvCost.WallSeconds,
                "rows/s", null, csvCost, Checked, []),
            new("data add, CSV profiled (MB/s)", "the same add, in bytes", parameters, megabytes / csvCost.WallSeconds, "MB/s", null, csvCost, Checked, []),
            new("profiling overhead", "CSV add time / the same bytes added as .bin (chunk and hash only)", parameters, csvCost.WallSeconds / plainCost.WallSeconds,
                "x", null, csvCost, "-", []),
        ];
    }

    private static List<string> WriteFiles(string root, DataScale scale)
    {
        var random = new Random(42);
        var buffer = new byte[4 * 1024 * 1024];
        var files = new List<string>();
        for (var i = 0; i < scale.LargeFiles; i++)
        {
            var path = Path.Combine(root, "data", "large", $"part-{i:000}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = File.Create(path);
            for (var written = 0L; written < scale.LargeFileMiB * 1024L * 1024; written += buffer.Length)
            {
                random.NextBytes(buffer);
                file.Write(buffer);
            }

            files.Add(path);
        }

        for (var i = 0; i < scale.SmallFiles; i++)
        {
            var path = Path.Combine(root, "data", "small", $"{i % 20:00}", $"record {i:00000}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var size = random.Next(1024, scale.SmallFileMaxKiB * 1024);
            random.NextBytes(buffer.AsSpan(0, size));
            File.WriteAllBytes(path, buffer.AsSpan(0, size).ToArray());
            files.Add(path);
        }

        return files;
    }

    private static async Task RunSha256SumAsync(List<string> files, CancellationToken ct)
    {
        var start = new ProcessStartInfo("sha256sum") { RedirectStandardOutput = true, UseShellExecute = false };
        files.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start) ?? throw new BenchmarkException("Could not start sha256sum.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 || (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length != files.Count)
        {
            throw new BenchmarkException($"sha256sum failed with exit code {process.ExitCode}.");
        }
    }
}
