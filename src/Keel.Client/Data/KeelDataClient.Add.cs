using System.Buffers;
using System.Net.Http.Json;
using Keel.Client.Data;
using Keel.Client.Protocol;
using Keel.Data;

namespace Keel.Client;

public sealed partial class KeelDataClient
{
    private const int MissingBatch = 10_000;
    private const int CommitAttempts = 3;

    /// <summary>
    /// Adds a file or a directory tree as the next version of a dataset. Only chunks the server lacks are sent, so a
    /// re-run after an interrupted add sends only what is still missing, and re-adding unchanged data sends nothing and
    /// creates no version. CSV and Parquet files are profiled (<see cref="TableProfile"/>) and the profiles stored with
    /// the version.
    /// </summary>
    /// <param name="path">A file, or a directory whose files (recursively, hidden ones included) form the version.</param>
    /// <param name="name">The dataset's name; created on first add.</param>
    /// <param name="message">A note about the version.</param>
    /// <param name="cancellationToken">Cancels the add; what was uploaded stays, for the next attempt.</param>
    /// <returns>The version, and how much was uploaded.</returns>
    /// <exception cref="ArgumentException">The path holds no files, or a file name cannot be stored in a manifest.</exception>
    public async Task<DatasetAddResult> AddAsync(string path, string name, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (DataPaths.NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        var sources = ListFiles(Path.GetFullPath(path));
        // Profiling reads the tables a second time on one thread; it overlaps the chunk-and-upload pipeline instead of following it.
        using var stopProfiling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var profiling = Task.Run(() => ProfileAsync(sources, stopProfiling.Token), stopProfiling.Token);
        LocalFile[] files;
        long uploadedChunks, uploadedBytes;
        try
        {
            (files, uploadedChunks, uploadedBytes) = await ChunkAndUploadAsync(sources, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The add has failed: reading the tables on for profiles nobody will commit would only compete with the caller.
            await stopProfiling.CancelAsync().ConfigureAwait(false);
            throw;
        }

        var chunks = new Dictionary<string, (string FullPath, LocalChunk Chunk)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var chunk in file.Chunks)
            {
                chunks.TryAdd(chunk.Id, (file.FullPath, chunk));
            }
        }

        var profiles = await profiling.ConfigureAwait(false);
        var request = new CommitVersionRequest(message, new DataManifest(DataManifest.CurrentFormat, files.Select(f => f.ToManifest()).ToList()), profiles);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                var missing = await MissingAsync(chunks.Keys, cancellationToken).ConfigureAwait(false);
                await Parallel.ForEachAsync(missing, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = UploadParallelism },
                    async (id, ct) =>
                    {
                        var (fullPath, chunk) = chunks[id];
                        await UploadChunkAsync(fullPath, chunk, ct).ConfigureAwait(false);
                        Interlocked.Add(ref uploadedBytes, chunk.Size);
                    }).ConfigureAwait(false);
                uploadedChunks += missing.Count;
            }

            using var commit = await _http.PostAsJsonAsync(new Uri(_root, $"datasets/{Uri.EscapeDataString(name)}/versions"),
                request, KeelJsonContext.Default.CommitVersionRequest, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await KeelClient.ReadAnswerAsync(commit, KeelJsonContext.Default.CommitVersionResponse, cancellationToken).ConfigureAwait(false);
                return new DatasetAddResult
                {
                    Version = result.Version,
                    Created = result.Created,
                    Chunks = chunks.Count,
                    UploadedChunks = uploadedChunks,
                    UploadedBytes = uploadedBytes,
                };
            }
            catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.InvalidState && attempt < CommitAttempts)
            {
                // A garbage collection took chunks the server had called present before this add uploaded the rest:
                // asking again names them, and they are sent once more.
            }
        }
    }

    private static async Task<List<TableProfile>> ProfileAsync(List<(string FullPath, string Path)> sources, CancellationToken cancellationToken)
    {
        var profiles = new List<TableProfile>();
        foreach (var (fullPath, relative) in sources.Where(s => TableProfiler.IsTable(s.Path)))
        {
            profiles.Add(await TableProfiler.ProfileAsync(fullPath, relative, cancellationToken).ConfigureAwait(false));
        }

        return profiles;
    }

    private async Task<List<string>> MissingAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var batch in ids.Chunk(MissingBatch))
        {
            using var response = await _http.PostAsJsonAsync(new Uri(_root, "chunks/missing"), new ChunkIdsMessage(batch),
                KeelJsonContext.Default.ChunkIdsMessage, cancellationToken).ConfigureAwait(false);
            missing.AddRange((await KeelClient.ReadAnswerAsync(response, KeelJsonContext.Default.ChunkIdsMessage, cancellationToken).ConfigureAwait(false)).Ids);
        }

        return missing;
    }

    private async Task UploadChunkAsync(string fullPath, LocalChunk chunk, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(chunk.Size);
        try
        {
            using (var handle = File.OpenHandle(fullPath))
            {
                var read = 0;
                while (read < chunk.Size)
                {
                    var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, chunk.Size - read), chunk.Offset + read, cancellationToken)
                        .ConfigureAwait(false);
                    read += n > 0 ? n : throw new IOException($"'{fullPath}' became shorter while it was being added.");
                }
            }

            using var content = new ByteArrayContent(buffer, 0, chunk.Size);
            content.Headers.ContentType = new("application/octet-stream");
            using var response = await _http.PutAsync(new Uri(_root, "chunks/" + chunk.Id), content, cancellationToken).ConfigureAwait(false);
            await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The files to add with their manifest paths, sorted; a single file keeps its own name.</summary>
    private static List<(string FullPath, string Path)> ListFiles(string path)
    {
        List<(string FullPath, string Path)> files;
        if (File.Exists(path))
        {
            files = [(path, System.IO.Path.GetFileName(path))];
        }
        else if (Directory.Exists(path))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            files = Directory.EnumerateFiles(path, "*", options)
                .Select(f => (f, System.IO.Path.GetRelativePath(path, f).Replace(System.IO.Path.DirectorySeparatorChar, '/')))
                .OrderBy(f => f.Item2, StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        if (files.Count == 0)
        {
            throw new ArgumentException($"'{path}' holds no files to add.", nameof(path));
        }

        foreach (var (_, relative) in files)
        {
            if (DataPaths.Problem(relative) is { } problem)
            {
                throw new ArgumentException($"Cannot add '{relative}': {problem}.", nameof(path));
            }
        }

        return files;
    }
}
