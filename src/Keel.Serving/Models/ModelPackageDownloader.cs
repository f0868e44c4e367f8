using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Keel.Serving.Models;

/// <summary>
/// Copies a registered version's package from the tracking server's artifact proxy into a local cache directory,
/// <c>{cache}/{name}/{version}</c>. A version's files never change, so a complete copy is reused.
/// </summary>
internal sealed class ModelPackageDownloader(HttpClient http, string cacheDirectory)
{
    private const string ProxyScheme = "mlflow-artifacts:";
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";
    private const string CompleteMarker = ".keel-complete";

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
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
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
        var listing = await http.GetFromJsonAsync<Listing>($"{Proxy}?path={Uri.EscapeDataString(remote)}", ct)
            ?? throw new InvalidOperationException($"The artifact proxy listed nothing at {remote}.");
        foreach (var file in listing.Files ?? [])
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

            using var response = await http.GetAsync($"{Proxy}/{EscapePath(root + "/" + child)}", HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var source = await response.Content.ReadAsStreamAsync(ct);
            await using var target = File.Create(Path.Combine(local, child));
            await source.CopyToAsync(target, ct);
        }
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private sealed record Listing([property: JsonPropertyName("files")] List<ListedFile>? Files);

    private sealed record ListedFile([property: JsonPropertyName("path")] string Path, [property: JsonPropertyName("is_dir")] bool IsDir);
}
