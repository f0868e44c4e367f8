using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Keel.Bench;

/// <summary>
/// A Keel server in its own process on a free loopback port with a fresh data directory, so its CPU
/// time can be told apart from the client's and nothing of the bench's runtime is shared with it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int LogLinesKept = 40;

    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int Id => _process.Id;

    /// <summary>Keel.Server.dll as built next to this bench (same configuration), recorded at build time.</summary>
    public static string ServerAssemblyPath { get; } = BuildMetadata("KeelServerPath");

    public static string BuildConfiguration { get; } = BuildMetadata("BuildConfiguration");

    /// <summary>keel.dll (the CLI) as built next to this bench.</summary>
    public static string CliAssemblyPath { get; } = BuildMetadata("KeelCliPath");

    /// <summary>
    /// <c>keel serve</c> in its own process on a free loopback port, healthy once its model is loaded; its
    /// download cache is a fresh temp directory, deleted on dispose.
    /// </summary>
    /// <param name="target"><c>--model URI</c> or <c>--deployment NAME</c>.</param>
    public static async Task<ServerProcess> StartServeAsync(Uri trackingUri, string[] target, TimeSpan startTimeout, CancellationToken ct, params string[] extraArguments)
    {
        if (!File.Exists(CliAssemblyPath))
        {
            throw new BenchmarkException($"keel.dll is not at {CliAssemblyPath}; build the bench with `dotnet build -c Release bench/Keel.Bench`.");
        }

        var cache = Directory.CreateTempSubdirectory("keel-bench-serve-").FullName;
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = [CliAssemblyPath, "serve", .. target, "--port", port.ToString(CultureInfo.InvariantCulture), "--cache-dir", cache, "--tracking-uri", trackingUri.ToString(), .. extraArguments];
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new BenchmarkException("Could not start `dotnet`.");
        var serve = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), cache);
        try
        {
            await serve.WaitUntilHealthyAsync(startTimeout, ct);
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a process, then waits for it to exit on its own.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new BenchmarkException($"The process did not exit within {timeout.TotalSeconds:0} s of SIGTERM:{Environment.NewLine}{RecentLog()}");
        }

        return _process.ExitCode;
    }

    public static async Task<ServerProcess> StartAsync(TimeSpan startTimeout, IEnumerable<string> backendArguments, CancellationToken ct)
    {
        if (!File.Exists(ServerAssemblyPath))
        {
            throw new BenchmarkException($"Keel.Server.dll is not at {ServerAssemblyPath}; build the bench with `dotnet build -c Release bench/Keel.Bench`.");
        }

        var dataDirectory = Directory.CreateTempSubdirectory("keel-bench-").FullName;
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new List<string>
        {
            ServerAssemblyPath,
            "--urls", $"http://127.0.0.1:{port}",
            "--Storage:DataDirectory", dataDirectory,
            "--Logging:LogLevel:Keel.Requests=Warning",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(backendArguments))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new BenchmarkException("Could not start `dotnet`.");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
        try
        {
            await server.WaitUntilHealthyAsync(startTimeout, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The server's user + system CPU time, read from /proc/PID/stat (utime and stime, fields 14 and 15, in
    /// USER_HZ ticks, which Linux fixes at 100 per second for user space).
    /// </summary>
    public TimeSpan CpuTime()
    {
        var path = $"/proc/{_process.Id}/stat";
        if (!File.Exists(path))
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }

        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The last lines the server wrote and whether it is still running, for an error message when it misbehaves.</summary>
    public string RecentLog()
    {
        var state = _process.HasExited ? $"(the server process exited with code {_process.ExitCode})" : "(the server process is running)";
        lock (_log)
        {
            return string.Join(Environment.NewLine, _log.Append(state));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not worth failing a finished benchmark for.
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new BenchmarkException($"The server exited with code {_process.ExitCode} before it was healthy:{Environment.NewLine}{RecentLog()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(100, ct);
        }

        throw new BenchmarkException($"GET /health did not answer 200 within {timeout.TotalSeconds:0} s:{Environment.NewLine}{RecentLog()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLinesKept)
            {
                _log.Dequeue();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildMetadata(string key) =>
        typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "";
}
