using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Data;
using Keel.Client.Protocol;
using Keel.Data;

namespace Keel.Client;

/// <summary>
/// Dataset versions: files are cut into content-defined chunks named by their SHA-256, so a new version of a large file
/// uploads only what changed, and everything read back is verified. Get it from <see cref="KeelClient.Data"/>.
/// </summary>
/// <remarks>
/// Datasets are referenced as <c>NAME@VERSION</c>, where VERSION is a number, <c>latest</c> or a tag; a bare
/// <c>NAME</c> means <c>NAME@latest</c>. Methods throw <see cref="KeelApiException"/> with
/// <see cref="KeelErrorCodes.DataLoss"/> when stored bytes fail verification.
/// </remarks>
public sealed partial class KeelDataClient
{
    private const int UploadParallelism = 8;
    private readonly KeelClient _owner;
    private readonly HttpClient _http;
    private readonly Uri _root;

    internal KeelDataClient(KeelClient owner, HttpClient http, Uri root)
    {
        _owner = owner;
        _http = http;
        _root = root;
        CacheDirectory = DefaultCacheDirectory();
    }

    /// <summary>
    /// Where fetched chunks are kept so that a get of a version sharing chunks with one fetched before reads them
    /// locally (verified again). Defaults to <c>$KEEL_CACHE_DIR/chunks</c>, else <c>~/.cache/keel/chunks</c>.
    /// Set it before the client is used from several threads.
    /// </summary>
    public string CacheDirectory { get; set; }

    /// <summary>Lists a dataset's versions, oldest first.</summary>
    /// <param name="name">The dataset's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such dataset.</exception>
    public async Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await GetJsonAsync($"datasets/{Uri.EscapeDataString(name)}/versions", KeelJsonContext.Default.DatasetVersionsResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.Versions;
    }

    /// <summary>Gets a version's metadata.</summary>
    /// <param name="reference"><c>NAME@VERSION</c>, <c>NAME@latest</c>, <c>NAME@TAG</c> or <c>NAME</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such dataset or version.</exception>
    public Task<DatasetVersion> GetVersionAsync(string reference, CancellationToken cancellationToken = default) =>
        GetJsonAsync(VersionPath(reference), KeelJsonContext.Default.DatasetVersion, cancellationToken);

    /// <summary>The profiles of a version's CSV and Parquet files, by path; empty when it holds no tables.</summary>
    /// <param name="reference"><c>NAME@VERSION</c>, <c>NAME@latest</c>, <c>NAME@TAG</c> or <c>NAME</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The profiles, sorted by path.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such dataset or version.</exception>
    public async Task<IReadOnlyList<TableProfile>> GetProfilesAsync(string reference, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync(VersionPath(reference) + "/profiles", KeelJsonContext.Default.DatasetProfilesResponse, cancellationToken).ConfigureAwait(false)).Profiles;

    /// <summary>The runs that logged a version as an input and the registered model versions whose source run is one of them.</summary>
    /// <param name="reference"><c>NAME@VERSION</c>, <c>NAME@latest</c>, <c>NAME@TAG</c> or <c>NAME</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The lineage.</returns>
    /// <exception cref="KeelApiException"><c>RESOURCE_DOES_NOT_EXIST</c> if there is no such dataset or version.</exception>
    public Task<DatasetLineage> GetLineageAsync(string reference, CancellationToken cancellationToken = default) =>
        GetJsonAsync(VersionPath(reference) + "/lineage", KeelJsonContext.Default.DatasetLineage, cancellationToken);

    /// <summary>Points a tag at a version (moving it if it pointed at another).</summary>
    /// <param name="reference">The version to tag, such as <c>iris@3</c>.</param>
    /// <param name="tag">The tag; not a number and not <c>latest</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version, with its tags.</returns>
    public async Task<DatasetVersion> TagAsync(string reference, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var (name, version) = Parse(reference);
        using var response = await _http.PutAsJsonAsync(
            new Uri(_root, $"datasets/{Uri.EscapeDataString(name)}/tags/{Uri.EscapeDataString(tag)}"),
            new SetDatasetTagRequest(version), KeelJsonContext.Default.SetDatasetTagRequest, cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.DatasetVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a version that nothing refers to; a tagged version, or one a run logged as input, is kept.</summary>
    /// <param name="reference">The version, such as <c>iris@3</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="KeelApiException"><c>INVALID_STATE</c>, saying what refers to it, if the version is referenced.</exception>
    public async Task DeleteVersionAsync(string reference, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync(new Uri(_root, VersionPath(reference)), cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compares two versions file by file (added, removed, changed, with sizes) and, for changed tables profiled in both,
    /// by schema, row count and per-column population stability index.
    /// </summary>
    /// <param name="from">The older version, such as <c>iris@1</c>.</param>
    /// <param name="to">The newer version, such as <c>iris@2</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The differing files, by path.</returns>
    public async Task<DatasetDiff> DiffAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var (fromVersion, fromManifest) = await GetManifestAsync(from, cancellationToken).ConfigureAwait(false);
        var (toVersion, toManifest) = await GetManifestAsync(to, cancellationToken).ConfigureAwait(false);
        var before = fromManifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var after = toManifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var changes = new List<DatasetFileChange>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var (old, current) = (before.GetValueOrDefault(path), after.GetValueOrDefault(path));
            if (old is null)
            {
                changes.Add(new DatasetFileChange(path, DatasetChangeKind.Added, null, current!.Size));
            }
            else if (current is null)
            {
                changes.Add(new DatasetFileChange(path, DatasetChangeKind.Removed, old.Size, null));
            }
            else if (old.Digest != current.Digest)
            {
                changes.Add(new DatasetFileChange(path, DatasetChangeKind.Changed, old.Size, current.Size));
            }
        }

        var tables = new List<TableDiff>();
        if (changes.Any(c => c.Kind == DatasetChangeKind.Changed && TableProfiler.IsTable(c.Path)))
        {
            var oldProfiles = (await GetProfilesAsync($"{fromVersion.Name}@{fromVersion.Version}", cancellationToken).ConfigureAwait(false))
                .ToDictionary(p => p.Path, StringComparer.Ordinal);
            var newProfiles = (await GetProfilesAsync($"{toVersion.Name}@{toVersion.Version}", cancellationToken).ConfigureAwait(false))
                .ToDictionary(p => p.Path, StringComparer.Ordinal);
            foreach (var change in changes.Where(c => c.Kind == DatasetChangeKind.Changed))
            {
                if (oldProfiles.TryGetValue(change.Path, out var old) && newProfiles.TryGetValue(change.Path, out var current))
                {
                    tables.Add(TableDiffer.Compare(old, current));
                }
            }
        }

        return new DatasetDiff(fromVersion, toVersion, changes) { Tables = tables };
    }

    /// <summary>Has the server read back and hash every stored chunk of every version of a dataset.</summary>
    /// <param name="name">The dataset's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What was checked, and the chunks that failed.</returns>
    public async Task<DatasetVerification> VerifyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var response = await _http.PostAsync(new Uri(_root, $"datasets/{Uri.EscapeDataString(name)}/verify"), null, cancellationToken)
            .ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.DatasetVerification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the server's chunk store holds, for all datasets together.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The number of chunks and their bytes.</returns>
    public Task<DataStoreStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("stats", KeelJsonContext.Default.DataStoreStats, cancellationToken);

    /// <summary>
    /// Deletes the chunks that no version references (after <see cref="DeleteVersionAsync"/>, the ones only deleted versions
    /// used). Chunks an add stored or committed within <paramref name="grace"/> are kept, so adds in flight keep theirs.
    /// </summary>
    /// <param name="grace">How recently used a chunk may be and still be deleted; the server's default (one hour) when null.
    /// Zero is safe only while no add is running: an add whose chunks are taken fails its commit and uploads them again.</param>
    /// <param name="cancellationToken">Cancels the request; chunks already deleted stay deleted.</param>
    /// <returns>What was freed and what was kept.</returns>
    public async Task<DataGarbageCollection> CollectGarbageAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        var query = grace is { } g ? "?grace_seconds=" + g.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "";
        using var response = await _http.PostAsync(new Uri(_root, "gc" + query), null, cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.DataGarbageCollection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a dataset version as an input of a run, with source <c>data:/NAME@VERSION</c>, source type <c>keel</c> and the
    /// first 32 hex characters of the version's digest (MLflow allows 36).
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="reference">The version, such as <c>iris@3</c> or <c>iris@prod</c>; recorded by number.</param>
    /// <param name="context">What the run used it for, such as <c>training</c>; recorded as <c>mlflow.data.context</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The version that was recorded.</returns>
    public async Task<DatasetVersion> LogInputAsync(string runId, string reference, string? context = null, CancellationToken cancellationToken = default)
    {
        var version = await GetVersionAsync(reference, cancellationToken).ConfigureAwait(false);
        var input = new DatasetInput
        {
            // MLflow caps dataset digests at 36 characters; the source names the exact version anyway.
            Dataset = new Dataset { Name = version.Name, Digest = version.Digest[..32], SourceType = "keel", Source = version.Uri },
            Tags = context is null ? [] : [new Tag("mlflow.data.context", context)],
        };
        await _owner.LogInputsAsync(runId, [input], cancellationToken).ConfigureAwait(false);
        return version;
    }

    internal static (string Name, string Version) Parse(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var (name, version) = at < 0 ? (reference, "latest") : (reference[..at], reference[(at + 1)..]);
        if (DataPaths.NameProblem(name) is not null || version.Length == 0)
        {
            throw new FormatException($"'{reference}' is not a dataset reference: use NAME, NAME@VERSION, NAME@latest or NAME@TAG.");
        }

        return (name, version);
    }

    private static string VersionPath(string reference)
    {
        var (name, version) = Parse(reference);
        return $"datasets/{Uri.EscapeDataString(name)}/versions/{Uri.EscapeDataString(version)}";
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private static KeelApiException IntegrityError(string message) =>
        new(KeelErrorCodes.DataLoss, "Integrity error: " + message, System.Net.HttpStatusCode.OK);

    private static string DefaultCacheDirectory()
    {
        var root = Environment.GetEnvironmentVariable("KEEL_CACHE_DIR") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keel");
        return Path.Combine(root, "chunks");
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
