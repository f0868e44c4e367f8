using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Keel.Data;

namespace Keel.Core.Data;

internal sealed partial class DataStore
{
    /// <summary>
    /// Records a version from a manifest whose chunks are all stored. Committing the manifest the latest version already
    /// has creates nothing and answers that version, so a re-run of an add is idempotent. Profiles of the version's
    /// tables are stored with a new version, in the same transaction.
    /// </summary>
    public async Task<DataCommit> CommitAsync(string? name, string? message, DataManifest? manifest, IReadOnlyList<JsonElement>? profiles, CancellationToken ct)
    {
        RequireName(name);
        var canonical = Canonical(manifest);
        var profileRows = ProfileRows(canonical, profiles);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, ManifestJson);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await RequireChunksAsync(canonical, ct);

        var chunkIds = canonical.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var size = canonical.Files.Sum(f => f.Size);
        var (number, created) = await writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            ctx.Execute("INSERT INTO data_datasets(name, creation_time, last_version) VALUES (@p0, @p1, 0) ON CONFLICT (name) DO NOTHING", name, now);
            // The row lock this no-op UPDATE takes orders concurrent commits to one dataset across replicas.
            long id, last;
            using (var reader = ctx.Query("UPDATE data_datasets SET last_version = last_version WHERE name = @p0 RETURNING dataset_id, last_version", name))
            {
                reader.Read();
                (id, last) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            using (var reader = ctx.Query("SELECT digest, version FROM data_versions WHERE dataset_id = @p0 ORDER BY version DESC LIMIT 1", id))
            {
                if (reader.Read() && reader.GetString(0) == digest)
                {
                    return (reader.GetInt64(1), false);
                }
            }

            // The fence against garbage collection (DataStore.Gc.cs): a chunk claimed since the check above is refused here.
            if (!TouchChunks(ctx, chunkIds, now))
            {
                throw new KeelException(ErrorCodes.InvalidState,
                    "The version was not recorded: some of its chunks were garbage-collected while it was being added. Upload the missing chunks and commit again.");
            }

            // Numbers are never reused, even after a delete, so NAME@N always meant one content.
            var version = last + 1;
            ctx.Execute("UPDATE data_datasets SET last_version = @p0 WHERE dataset_id = @p1", version, id);
            ctx.Execute(
                "INSERT INTO data_versions(dataset_id, version, digest, message, creation_time, file_count, size, manifest) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
                id, version, digest, string.IsNullOrEmpty(message) ? null : message, now, (long)canonical.Files.Count, size, text);
            foreach (var (path, profile) in profileRows)
            {
                ctx.Execute("INSERT INTO data_profiles(dataset_id, version, path, profile) VALUES (@p0, @p1, @p2, @p3)", id, version, path, profile);
            }

            return (version, true);
        }, ct);
        return new DataCommit(await GetVersionAsync(name, number.ToString(CultureInfo.InvariantCulture), ct), created);
    }

    /// <summary>
    /// Checks profiles before anything is written: each an object naming, by <c>path</c>, a distinct file of the
    /// manifest. Their statistics are the client's and are kept as sent, so a newer client's fields survive.
    /// </summary>
    private static List<(string Path, string Profile)> ProfileRows(DataManifest manifest, IReadOnlyList<JsonElement>? profiles)
    {
        var paths = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var rows = new List<(string Path, string Profile)>();
        foreach (var profile in profiles ?? [])
        {
            if (profile.ValueKind != JsonValueKind.Object || !profile.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String)
            {
                throw KeelException.InvalidParameter("Each profile must be an object with a 'path'. Nothing was stored.");
            }

            var text = path.GetString()!;
            if (!paths.Contains(text))
            {
                throw KeelException.InvalidParameter($"A profile names '{text}', which is not a file of this version. Nothing was stored.");
            }

            if (rows.Any(r => r.Path == text))
            {
                throw KeelException.InvalidParameter($"'{text}' has more than one profile. Nothing was stored.");
            }

            rows.Add((text, profile.GetRawText()));
        }

        return rows;
    }

    /// <summary>Points a tag at a version, moving it if it pointed elsewhere.</summary>
    public async Task<DataVersion> SetTagAsync(string? name, string? tag, string? reference, CancellationToken ct)
    {
        if (DataPaths.TagProblem(tag) is { } problem)
        {
            throw KeelException.InvalidParameter(problem);
        }

        var version = await GetVersionAsync(name, reference, ct);
        await writes.ExecuteAsync(ctx => ctx.Execute(
            "INSERT INTO data_tags(dataset_id, tag, version) SELECT dataset_id, @p1, @p2 FROM data_datasets WHERE name = @p0 " +
            "ON CONFLICT (dataset_id, tag) DO UPDATE SET version = excluded.version",
            name, tag, version.Version), ct);
        return await GetVersionAsync(name, version.Version.ToString(CultureInfo.InvariantCulture), ct);
    }

    /// <summary>
    /// Deletes a version nothing refers to: no tag points at it and no run logged it as an input. Its chunks stay until a
    /// garbage collection (<see cref="CollectGarbageAsync"/>) finds no version referencing them.
    /// </summary>
    public async Task DeleteVersionAsync(string? name, string? reference, CancellationToken ct)
    {
        var version = await GetVersionAsync(name, reference, ct);
        var uri = $"data:/{version.Name}@{version.Version}";
        await writes.ExecuteAsync(ctx =>
        {
            var id = (long)ctx.Scalar("SELECT dataset_id FROM data_datasets WHERE name = @p0", name)!;
            var tags = new List<string>();
            using (var reader = ctx.Query("SELECT tag FROM data_tags WHERE dataset_id = @p0 AND version = @p1 ORDER BY tag", id, version.Version))
            {
                while (reader.Read())
                {
                    tags.Add(reader.GetString(0));
                }
            }

            if (tags.Count > 0)
            {
                throw new KeelException(ErrorCodes.InvalidState,
                    $"{version.Name}@{version.Version} is kept: tag{(tags.Count > 1 ? "s" : "")} {string.Join(", ", tags.Select(t => $"'{t}'"))} point{(tags.Count > 1 ? "" : "s")} at it.");
            }

            var runs = (long)ctx.Scalar("SELECT COUNT(*) FROM inputs i JOIN datasets s ON s.dataset_id = i.dataset_id WHERE s.source = @p0", uri)!;
            if (runs > 0)
            {
                throw new KeelException(ErrorCodes.InvalidState, $"{version.Name}@{version.Version} is kept: {runs} run(s) logged it as an input ({uri}).");
            }

            ctx.Execute("DELETE FROM data_profiles WHERE dataset_id = @p0 AND version = @p1", id, version.Version);
            ctx.Execute("DELETE FROM data_versions WHERE dataset_id = @p0 AND version = @p1", id, version.Version);
        }, ct);
    }

    /// <summary>Reads every chunk of every version of a dataset back from the artifact store and checks its hash.</summary>
    public async Task<DataVerification> VerifyAsync(string? name, CancellationToken ct)
    {
        var versions = await ListVersionsAsync(name, ct);
        var files = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            var (_, bytes) = await GetManifestAsync(name, version.Version.ToString(CultureInfo.InvariantCulture), ct);
            var manifest = JsonSerializer.Deserialize<DataManifest>(bytes, ManifestJson)!;
            foreach (var file in manifest.Files)
            {
                foreach (var chunk in file.Chunks)
                {
                    if (!files.TryGetValue(chunk.Id, out var list))
                    {
                        files[chunk.Id] = list = [];
                    }

                    list.Add($"{version.Name}@{version.Version}:{file.Path}");
                }
            }
        }

        var problems = new List<DataChunkProblem>();
        foreach (var (id, locations) in files)
        {
            if (await ReadVerifiedAsync(id, ct) is (null, { } problem))
            {
                problems.Add(new DataChunkProblem(id, problem, locations.Distinct(StringComparer.Ordinal).ToList()));
            }
        }

        return new DataVerification(name!, versions.Count, files.Count, problems);
    }

    private static DataManifest Canonical(DataManifest? manifest)
    {
        if (manifest is null || manifest.Format != DataManifest.CurrentFormat)
        {
            throw KeelException.InvalidParameter($"The manifest must have format {DataManifest.CurrentFormat}.");
        }

        if (manifest.Files is null || manifest.Files.Count == 0)
        {
            throw KeelException.InvalidParameter("A dataset version needs at least one file.");
        }

        var files = new List<DataManifestFile>(manifest.Files.Count);
        foreach (var file in manifest.Files)
        {
            if (DataPaths.Problem(file?.Path) is { } problem)
            {
                throw KeelException.InvalidParameter($"Invalid manifest path: {problem}.");
            }

            var chunks = file!.Chunks ?? [];
            if (chunks.Any(c => c is null || !DataPaths.IsChunkId(c.Id) || c.Size <= 0 || c.Size > MaxChunkBytes))
            {
                throw KeelException.InvalidParameter($"'{file.Path}' lists a chunk with an invalid id or size.");
            }

            if (chunks.Sum(c => c.Size) != file.Size)
            {
                throw KeelException.InvalidParameter($"'{file.Path}' has size {file.Size}, but its chunks add up to {chunks.Sum(c => c.Size)}.");
            }

            var digest = DataManifest.FileDigest(chunks.Select(c => c.Id));
            if (file.Digest != digest)
            {
                throw KeelException.InvalidParameter($"'{file.Path}' has digest {file.Digest}, but its chunks give {digest}.");
            }

            files.Add(new DataManifestFile(file.Path, file.Size, digest, chunks.Select(c => new DataManifestChunk(c.Id, c.Size)).ToList()));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!paths.Add(file.Path))
            {
                throw KeelException.InvalidParameter($"'{file.Path}' appears twice in the manifest.");
            }
        }

        // A file and a directory cannot share a name on disk: "a" and "a/b" could not both be written.
        foreach (var path in paths)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (paths.Contains(path[..slash]))
                {
                    throw KeelException.InvalidParameter($"'{path[..slash]}' is both a file and a directory in the manifest.");
                }
            }
        }

        return new DataManifest(DataManifest.CurrentFormat, files);
    }

    private async Task RequireChunksAsync(DataManifest manifest, CancellationToken ct)
    {
        var ids = manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        var missing = new List<string>();
        foreach (var batch in ids.Chunk(MaxIdsPerRequest))
        {
            missing.AddRange(await MissingChunksAsync(batch, ct));
        }

        if (missing.Count > 0)
        {
            throw new KeelException(ErrorCodes.InvalidState,
                $"The version was not recorded: {missing.Count} of its {ids.Count} chunks are not stored (first: {missing[0]}). Upload them and commit again.");
        }
    }
}
