using System.Net.Http.Headers;
using Keel.Client.Protocol;

namespace Keel.Client;

public sealed partial class KeelClient
{
    private const string ArtifactProxyPrefix = "api/2.0/mlflow-artifacts/artifacts/";
    private const string ProxiedArtifactScheme = "mlflow-artifacts:";

    /// <summary>Uploads a file to a run's artifacts through the tracking server's artifact proxy.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="localFile">The file to upload.</param>
    /// <param name="artifactPath">The directory under the run's artifact root to put it in; null puts it at the root. The file keeps its name.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A task that completes when the server has stored the file.</returns>
    /// <exception cref="NotSupportedException">The run's artifacts are not served by the tracking server (its artifact URI is not <c>mlflow-artifacts:</c>).</exception>
    public async Task UploadArtifactAsync(string runId, string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(localFile);
        var root = await GetArtifactProxyRootAsync(runId, cancellationToken).ConfigureAwait(false);
        await PutFileAsync(root, localFile, JoinArtifactPath(artifactPath, Path.GetFileName(localFile)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a directory's files, recursively, to a run's artifacts, keeping their relative paths.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="localDirectory">The directory whose contents to upload.</param>
    /// <param name="artifactPath">The directory under the run's artifact root to put them in; null puts them at the root.</param>
    /// <param name="cancellationToken">Cancels the upload; files already sent stay on the server.</param>
    /// <returns>A task that completes when the server has stored every file.</returns>
    /// <exception cref="NotSupportedException">The run's artifacts are not served by the tracking server.</exception>
    public async Task UploadArtifactsAsync(string runId, string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(localDirectory);
        if (!Directory.Exists(localDirectory))
        {
            throw new DirectoryNotFoundException($"Directory '{localDirectory}' does not exist.");
        }

        var root = await GetArtifactProxyRootAsync(runId, cancellationToken).ConfigureAwait(false);
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await PutFileAsync(root, localFile: file, JoinArtifactPath(artifactPath, relative), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads one artifact file of a run, streaming it to disk.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="artifactPath">The file's path under the run's artifact root.</param>
    /// <param name="localFile">Where to write it; missing directories are created and an existing file is replaced.</param>
    /// <param name="cancellationToken">Cancels the download; a partial file is removed.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such artifact.</exception>
    public async Task DownloadArtifactAsync(string runId, string artifactPath, string localFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(localFile);
        var root = await GetArtifactProxyRootAsync(runId, cancellationToken).ConfigureAwait(false);

        using var response = await _http.GetAsync(ArtifactUri(root, artifactPath), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);

        var directory = Path.GetDirectoryName(Path.GetFullPath(localFile));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        try
        {
            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(localFile, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 81920, useAsync: true);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            File.Delete(localFile);
            throw;
        }
    }

    /// <summary>Lists the files and directories directly under one directory of a run's artifacts.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="path">The directory under the run's artifact root; null lists the root.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The run's artifact root and the entries, following the server's pages.</returns>
    public async Task<ArtifactListing> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var files = new List<ArtifactFile>();
        string? rootUri = null;
        string? pageToken = null;
        do
        {
            var query = new QueryString().Add("run_id", runId).Add("path", path).Add("page_token", pageToken);
            var page = await GetAsync("artifacts/list", query, KeelJsonContext.Default.ListArtifactsResponse, cancellationToken).ConfigureAwait(false);
            rootUri ??= page.RootUri;
            files.AddRange(page.Files);
            pageToken = NullIfEmpty(page.NextPageToken);
        }
        while (pageToken is not null);

        return new ArtifactListing(rootUri ?? "", files);
    }

    private async Task PutFileAsync(string proxyRoot, string localFile, string artifactPath, CancellationToken cancellationToken)
    {
        var stream = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await _http.PutAsync(ArtifactUri(proxyRoot, artifactPath), content, cancellationToken).ConfigureAwait(false);
            await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> GetArtifactProxyRootAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return ArtifactProxyRoot(run.Info.ArtifactUri);
    }

    private Uri ArtifactUri(string proxyRoot, string artifactPath) =>
        new(BaseAddress, ArtifactProxyPrefix + EscapePath(proxyRoot) + "/" + EscapePath(artifactPath));

    // The server gives each run artifact_uri = mlflow-artifacts:/{experiment_id}/{run_id}/artifacts, and serves
    // that tree under /api/2.0/mlflow-artifacts/artifacts/. MLflow also writes mlflow-artifacts://host:port/path
    // when the proxy is on another host; this client always goes through its own tracking URI, so the authority is dropped.
    internal static string ArtifactProxyRoot(string artifactUri)
    {
        if (!artifactUri.StartsWith(ProxiedArtifactScheme, StringComparison.Ordinal))
        {
            throw new NotSupportedException(
                $"The run's artifact URI '{artifactUri}' is not served through the tracking server's artifact proxy (expected '{ProxiedArtifactScheme}/...').");
        }

        var path = artifactUri[ProxiedArtifactScheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            var endOfAuthority = path.IndexOf('/', 2);
            path = endOfAuthority < 0 ? "" : path[endOfAuthority..];
        }

        return path.Trim('/');
    }

    internal static string JoinArtifactPath(string? directory, string relativePath)
    {
        var trimmed = directory?.Replace('\\', '/').Trim('/');
        return string.IsNullOrEmpty(trimmed) ? relativePath : trimmed + "/" + relativePath;
    }

    private static string EscapePath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(segment => segment is "." or ".."))
        {
            throw new ArgumentException($"Artifact path '{path}' must not contain '.' or '..' segments.", nameof(path));
        }

        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }
}
