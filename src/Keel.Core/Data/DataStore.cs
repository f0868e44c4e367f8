using System.Buffers;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keel.Core.Artifacts;
using Keel.Core.Storage;
using Keel.Data;

namespace Keel.Core.Data;

/// <summary>
/// Content-addressed dataset versions: chunks in the artifact store under <c>data/chunks/ab/cdef...</c>, indexed in
/// <c>data_chunks</c> once stored; versions as canonical manifests in the database. Chunks are verified when they arrive
/// and whenever they are read. Versions, chunk reads and integrity checks are here; commits in <c>DataStore.Commit.cs</c>.
/// </summary>
internal sealed partial class DataStore(Database database, WriteQueue writes, IArtifactStore artifacts, TimeProvider clock)
{
    /// <summary>The client cuts at most 2 MiB; four times that leaves room for other chunkers without letting a request hold much memory.</summary>
    public const int MaxChunkBytes = 8 * 1024 * 1024;

    private const int MaxIdsPerRequest = 10_000;
    private const string VersionColumns = "d.name, v.version, v.digest, v.message, v.creation_time, v.file_count, v.size, v.dataset_id";

    internal static readonly JsonSerializerOptions ManifestJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string ChunkPath(string id) => $"data/chunks/{id[..2]}/{id[2..]}";

    /// <summary>The ids among <paramref name="ids"/> the server does not hold, in the order asked.</summary>
    public async Task<IReadOnlyList<string>> MissingChunksAsync(IReadOnlyList<string>? ids, CancellationToken ct)
    {
        if (ids is null || ids.Count > MaxIdsPerRequest)
        {
            throw KeelException.InvalidParameter($"Ask about 0 to {MaxIdsPerRequest} chunk ids at a time.");
        }

        foreach (var id in ids)
        {
            RequireChunkId(id);
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenReadAsync(ct);
        foreach (var batch in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var names = string.Join(", ", batch.Select((_, i) => "@p" + i));
            await using var command = connection.Command($"SELECT chunk_id FROM data_chunks WHERE deleting_since IS NULL AND chunk_id IN ({names})", batch);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                present.Add(reader.GetString(0));
            }
        }

        return ids.Where(id => !present.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Stores a chunk after checking that its bytes hash to its id; false when it was already stored. The index row is
    /// written only after the artifact store has the whole chunk, so the index never names a chunk that is not there.
    /// </summary>
    public async Task<bool> PutChunkAsync(string? id, Stream body, long? length, CancellationToken ct)
    {
        RequireChunkId(id);
        // Pooled: a chunk is about 512 KiB, and a fresh array per request would churn the large object heap.
        var (buffer, size) = await ReadLimitedAsync(body, length, ct);
        try
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, size)));
            if (actual != id)
            {
                throw KeelException.InvalidParameter($"Chunk {id} was refused: its bytes hash to {actual}. Nothing was stored.");
            }

            if (await WaitUntilNotClaimedAsync(id, ct))
            {
                return false;
            }

            await artifacts.WriteAsync(ChunkPath(id), new MemoryStream(buffer, 0, size, writable: false), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            ctx.Execute("INSERT INTO data_chunks(chunk_id, size, creation_time, last_used) VALUES (@p0, @p1, @p2, @p2) ON CONFLICT (chunk_id) DO NOTHING",
                id, (long)size, now);
        }, ct);
        return true;
    }

    /// <summary>
    /// True when the chunk is stored. While a garbage collection holds a claim on it, waits for the collection to finish
    /// (it deletes the blob, then the row), so this upload's blob is not the one it deletes; a claim past its lease is
    /// from a collection that died and is dropped.
    /// </summary>
    private async Task<bool> WaitUntilNotClaimedAsync(string id, CancellationToken ct)
    {
        while (true)
        {
            long? claimed;
            await using (var connection = await database.OpenReadAsync(ct))
            await using (var command = connection.Command("SELECT deleting_since FROM data_chunks WHERE chunk_id = @p0", id))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return false;
                }

                claimed = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            }

            if (claimed is not { } since)
            {
                return true;
            }

            if (Now() - since >= (long)ClaimLease.TotalMilliseconds)
            {
                await writes.ExecuteAsync(ctx => ctx.Execute("DELETE FROM data_chunks WHERE chunk_id = @p0 AND deleting_since = @p1", id, since), ct);
                return false;
            }

            await Task.Delay(ClaimPoll, clock, ct);
        }
    }

    /// <summary>A stored chunk's bytes, verified against its id; a mismatch is data loss, never served.</summary>
    public async Task<byte[]> ReadChunkAsync(string? id, CancellationToken ct)
    {
        RequireChunkId(id);
        if ((await MissingChunksAsync([id], ct)).Count > 0)
        {
            throw KeelException.NotFound($"No chunk {id} is stored.");
        }

        return await ReadVerifiedAsync(id, ct) switch
        {
            (byte[] bytes, null) => bytes,
            (_, var problem) => throw new KeelException(ErrorCodes.DataLoss, $"Integrity error: chunk {id} {problem}."),
        };
    }

    private async Task<(byte[]? Bytes, string? Problem)> ReadVerifiedAsync(string id, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            await using var stream = await artifacts.OpenReadAsync(ChunkPath(id), ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return (null, "is missing from the artifact store");
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return actual == id ? (bytes, null) : (null, $"is corrupted in the artifact store (its bytes hash to {actual})");
    }

    public async Task<DataStats> StatsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM data_chunks WHERE deleting_since IS NULL");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new DataStats(reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<IReadOnlyList<DataVersion>> ListVersionsAsync(string? name, CancellationToken ct)
    {
        RequireName(name);
        await using var connection = await database.OpenReadAsync(ct);
        var id = await DatasetIdAsync(connection, name, ct);
        return await ReadVersionsAsync(connection,
            $"SELECT {VersionColumns} FROM data_versions v JOIN data_datasets d ON d.dataset_id = v.dataset_id WHERE v.dataset_id = @p0 ORDER BY v.version",
            ct, id);
    }

    /// <summary>A version by number, <c>latest</c>, or tag.</summary>
    public async Task<DataVersion> GetVersionAsync(string? name, string? reference, CancellationToken ct)
    {
        RequireName(name);
        await using var connection = await database.OpenReadAsync(ct);
        var (id, version) = await ResolveAsync(connection, name, reference, ct);
        return await ReadVersionAsync(connection, id, version, ct);
    }

    /// <summary>The profiles stored with a version's tables, sorted by path.</summary>
    public async Task<IReadOnlyList<JsonElement>> GetProfilesAsync(string? name, string? reference, CancellationToken ct)
    {
        RequireName(name);
        await using var connection = await database.OpenReadAsync(ct);
        var (id, number) = await ResolveAsync(connection, name, reference, ct);
        await using var command = connection.Command("SELECT profile FROM data_profiles WHERE dataset_id = @p0 AND version = @p1 ORDER BY path", id, number);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<JsonElement>();
        while (await reader.ReadAsync(ct))
        {
            profiles.Add(JsonElement.Parse(reader.GetString(0)));
        }

        return profiles;
    }

    /// <summary>The manifest's stored bytes with their digest.</summary>
    public async Task<(DataVersion Version, byte[] Manifest)> GetManifestAsync(string? name, string? reference, CancellationToken ct)
    {
        RequireName(name);
        await using var connection = await database.OpenReadAsync(ct);
        var (id, number) = await ResolveAsync(connection, name, reference, ct);
        var version = await ReadVersionAsync(connection, id, number, ct);
        await using var command = connection.Command("SELECT manifest FROM data_versions WHERE dataset_id = @p0 AND version = @p1", id, number);
        var manifest = Encoding.UTF8.GetBytes((string)(await command.ExecuteScalarAsync(ct))!);
        // The database is not trusted more than the artifact store: a manifest that no longer matches its digest is not served.
        var actual = Convert.ToHexStringLower(SHA256.HashData(manifest));
        return actual == version.Digest
            ? (version, manifest)
            : throw new KeelException(ErrorCodes.DataLoss, $"Integrity error: the manifest of {name}@{number} no longer matches its digest {version.Digest}.");
    }

    private static async Task<(long DatasetId, long Version)> ResolveAsync(DbConnection connection, string name, string? reference, CancellationToken ct)
    {
        var id = await DatasetIdAsync(connection, name, ct);
        reference = string.IsNullOrEmpty(reference) ? "latest" : reference;
        object? found;
        if (reference == "latest")
        {
            await using var command = connection.Command("SELECT MAX(version) FROM data_versions WHERE dataset_id = @p0", id);
            found = await command.ExecuteScalarAsync(ct);
        }
        else if (long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            await using var command = connection.Command("SELECT version FROM data_versions WHERE dataset_id = @p0 AND version = @p1", id, number);
            found = await command.ExecuteScalarAsync(ct);
        }
        else
        {
            await using var command = connection.Command("SELECT version FROM data_tags WHERE dataset_id = @p0 AND tag = @p1", id, reference);
            found = await command.ExecuteScalarAsync(ct);
        }

        return found is null or DBNull
            ? throw KeelException.NotFound($"Dataset '{name}' has no version '{reference}'.")
            : (id, Convert.ToInt64(found, CultureInfo.InvariantCulture));
    }

    private static async Task<long> DatasetIdAsync(DbConnection connection, string name, CancellationToken ct)
    {
        await using var command = connection.Command("SELECT dataset_id FROM data_datasets WHERE name = @p0", name);
        return await command.ExecuteScalarAsync(ct) is { } id and not DBNull
            ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
            : throw KeelException.NotFound($"Dataset '{name}' does not exist.");
    }

    private static async Task<DataVersion> ReadVersionAsync(DbConnection connection, long id, long version, CancellationToken ct) =>
        (await ReadVersionsAsync(connection,
            $"SELECT {VersionColumns} FROM data_versions v JOIN data_datasets d ON d.dataset_id = v.dataset_id WHERE v.dataset_id = @p0 AND v.version = @p1",
            ct, id, version)).Single();

    private static async Task<List<DataVersion>> ReadVersionsAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] values)
    {
        var rows = new List<(DataVersion Version, long DatasetId)>();
        await using (var command = connection.Command(sql, values))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((new DataVersion(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetNullableString(3),
                    reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), []), reader.GetInt64(7)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var tags = new Dictionary<long, List<string>>();
        await using (var command = connection.Command("SELECT version, tag FROM data_tags WHERE dataset_id = @p0 ORDER BY tag", rows[0].DatasetId))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var version = reader.GetInt64(0);
                if (!tags.TryGetValue(version, out var list))
                {
                    tags[version] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        return rows.Select(r => r.Version with { Tags = tags.GetValueOrDefault(r.Version.Version) ?? [] }).ToList();
    }

    /// <summary>The body in one array sized by Content-Length when the client sent one (it always does), refusing oversize bodies.</summary>
    /// <summary>The body in a pooled buffer the caller returns; refused past <see cref="MaxChunkBytes"/>.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadLimitedAsync(Stream body, long? length, CancellationToken ct)
    {
        if (length > MaxChunkBytes)
        {
            throw KeelException.InvalidParameter($"A chunk may be at most {MaxChunkBytes} bytes.");
        }

        // One byte more than allowed for a body of unknown length, to tell "exactly the limit" from "over it".
        var buffer = ArrayPool<byte>.Shared.Rent(length is { } declared ? (int)declared : MaxChunkBytes + 1);
        try
        {
            if (length is { } exact)
            {
                await body.ReadExactlyAsync(buffer.AsMemory(0, (int)exact), ct);
                return (buffer, (int)exact);
            }

            var total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(total, Math.Min(buffer.Length, MaxChunkBytes + 1) - total), ct)) > 0)
            {
                total += read;
                if (total > MaxChunkBytes)
                {
                    throw KeelException.InvalidParameter($"A chunk may be at most {MaxChunkBytes} bytes.");
                }
            }

            return (buffer, total);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static void RequireName([NotNull] string? name)
    {
        if (DataPaths.NameProblem(name) is { } problem)
        {
            throw KeelException.InvalidParameter(problem);
        }

        ArgumentNullException.ThrowIfNull(name);
    }

    private static void RequireChunkId([NotNull] string? id)
    {
        if (!DataPaths.IsChunkId(id))
        {
            throw KeelException.InvalidParameter($"Invalid chunk id '{id}': it must be 64 lowercase hex characters (a SHA-256).");
        }
    }
}
