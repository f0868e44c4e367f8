using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>What the dataset integration tests share: a client on the server and a scratch directory of their own.</summary>
public abstract class DataWorkspace(KeelServerFixture server, string prefix) : IDisposable
{
    private readonly string _local = Directory.CreateTempSubdirectory(prefix).FullName;

    protected KeelServerFixture Server { get; } = server;

    protected KeelClient Client { get; } = new(server.Http);

    protected KeelDataClient Data
    {
        get
        {
            // A cache of its own per test, so a chunk fetched by one test never hides the server's copy from another.
            Client.Data.CacheDirectory = Path.Combine(_local, "cache");
            return Client.Data;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Directory.Delete(_local, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected string Local(string relative) => Path.Combine(_local, relative);

    protected static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    protected static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
