using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Keel.Serving.Models;

/// <summary>Lists and reads the files under an artifact path: the tracking server's artifact proxy, or the artifact store itself.</summary>
internal interface IPackageFiles
{
    /// <summary>The directory's direct children, each named by its path (the last segment is its name).</summary>
    Task<IReadOnlyList<(string Path, bool IsDir)>> ListAsync(string directory, CancellationToken ct);

    Task<Stream> OpenReadAsync(string path, CancellationToken ct);
}

/// <summary>
/// Copies a registered version's package from the artifact proxy (or store) into a local cache directory,
/// <c>{cache}/{name}/{version}</c>. A version's files never change, so a complete copy is reused.
/// </summary>
internal sealed class ModelPackageDownloader(IPackageFiles files, string cacheDirectory)
{
    private const string ProxyScheme = "mlflow-artifacts:";
    private const string CompleteMarker = ".keel-complete";

    /// <summary>Downloads through a tracking server's artifact proxy.</summary>
    public ModelPackageDownloader(HttpClient http, string cacheDirectory)
        : this(new ProxyFiles(http), cacheDirectory)
    {
    }

    /// <param name="artifactUri">The version's download URI, <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c>.</param>
    public async Task<string> DownloadAsync(string name, long version, string artifactUri, CancellationToken ct)
    {
        var target = Path.Combine(cacheDirectory, Uri.EscapeDataString(name), version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (File.Exists(Path.Combine(target, CompleteMarker)))
        {
            return target;
        }

        if (!artifactUri.StartsWith(ProxyScheme, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Version {version} of '{name}' is stored at {artifactUri}; keel serve downloads through the tracking server's artifact proxy (mlflow-artifacts:/).");
        }

        // mlflow-artifacts://host:port/path names another proxy host; the path is the same under ours.
        var path = artifactUri[ProxyScheme.Length..].TrimStart('/');
        if (artifactUri.StartsWith(ProxyScheme + "//", StringComparison.Ordinal))
        {
            path = path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }

        var staging = target + ".download-" + Guid.NewGuid().ToString("N");
        try
        {
            await CopyDirectoryAsync(path, "", staging, ct);
            await File.WriteAllTextAsync(Path.Combine(staging, CompleteMarker), artifactUri, ct);
            // Another process sharing the cache (a replica on the same data directory) may have finished first: its copy is as good.
            if (File.Exists(Path.Combine(target, CompleteMarker)))
            {
                return target;
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, CompleteMarker)))
            {
            }

            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task CopyDirectoryAsync(string root, string relative, string local, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(local, relative));
        var remote = relative.Length == 0 ? root : root + "/" + relative;
        foreach (var file in await files.ListAsync(remote, ct))
        {
            // Entries are named by their path relative to the listed directory, or to the proxy root.
            var fileName = file.Path[(file.Path.LastIndexOf('/') + 1)..];
            var child = relative.Length == 0 ? fileName : relative + "/" + fileName;
            if (fileName is "" or "." or "..")
            {
                throw new InvalidOperationException($"The artifact proxy listed an invalid name '{file.Path}'.");
            }

            if (file.IsDir)
            {
                await CopyDirectoryAsync(root, child, local, ct);
                continue;
            }

            await using var source = await files.OpenReadAsync(root + "/" + child, ct);
            await using var target = File.Create(Path.Combine(local, child));
            await source.CopyToAsync(target, ct);
        }
    }

    private sealed class ProxyFiles(HttpClient http) : IPackageFiles
    {
        private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

        public async Task<IReadOnlyList<(string Path, bool IsDir)>> ListAsync(string directory, CancellationToken ct)
        {
            var listing = await http.GetFromJsonAsync<Listing>($"{Proxy}?path={Uri.EscapeDataString(directory)}", ct)
                ?? throw new InvalidOperationException($"The artifact proxy listed nothing at {directory}.");
            return (listing.Files ?? []).Select(f => (f.Path, f.IsDir)).ToList();
        }

        public async Task<Stream> OpenReadAsync(string path, CancellationToken ct)
        {
            var response = await http.GetAsync($"{Proxy}/{EscapePath(path)}", HttpCompletionOption.ResponseHeadersRead, ct);
            try
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStreamAsync(ct);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

        private sealed record Listing([property: JsonPropertyName("files")] List<ListedFile>? Files);

        private sealed record ListedFile([property: JsonPropertyName("path")] string Path, [property: JsonPropertyName("is_dir")] bool IsDir);
    }
}
