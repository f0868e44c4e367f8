using Keel.Server;
using Microsoft.AspNetCore.Builder;

namespace Keel.Testing;

/// <summary>A real Keel server (Kestrel on a loopback port, SQLite in a data directory) shared by a test class.</summary>
public class KeelServerFixture : IAsyncLifetime
{
    private readonly bool _ownsDataDirectory;
    private readonly string[] _arguments;
    private WebApplication? _app;

    /// <summary>A server over a fresh temp directory, deleted when the fixture is disposed.</summary>
    public KeelServerFixture()
        : this(Path.Combine(Path.GetTempPath(), "keel-test-" + Guid.NewGuid().ToString("N")), ownsDataDirectory: true)
    {
    }

    protected KeelServerFixture(string dataDirectory, bool ownsDataDirectory, params string[] arguments)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _arguments = arguments;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The running server's services, for tests that inspect what it mapped or stored.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Starts a server over a data directory (and database) something else wrote, and leaves them in place when disposed.</summary>
    public static async Task<KeelServerFixture> StartAsync(string dataDirectory, params string[] arguments)
    {
        var server = new KeelServerFixture(dataDirectory, ownsDataDirectory: false, arguments);
        await server.InitializeAsync();
        return server;
    }

    /// <summary>More server arguments (configuration), for fixtures that run the server another way.</summary>
    protected virtual IEnumerable<string> ExtraArguments => _arguments;

    public virtual async Task InitializeAsync()
    {
        _app = KeelServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:DataDirectory", DataDirectory,
            "--Logging:LogLevel:Keel.Requests", "Warning",
            .. ExtraArguments,
        ]);
        await _app.StartAsync();
        BaseAddress = KeelServer.ListeningAddress(_app);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_ownsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
