using System.Text.Json;
using Keel.Core.Storage;
using Keel.Data;

namespace Keel.Core.Data;

// Chunk garbage collection. The rule, so that an add in flight never loses a chunk it is about to reference:
// - Every chunk row has last_used: set when the chunk is stored and again by every commit that references it, inside the
//   commit's transaction.
// - A collection notes its cutoff (now - grace) before it reads the manifests, and claims (deleting_since = now) only rows
//   that no manifest it read references and whose last_used is older than the cutoff. A commit that lands after the
//   manifests were read has set last_used past the cutoff, and the claim's own WHERE re-checks last_used under the row
//   lock, so a chunk a new version references is never claimed.
// - A claimed chunk counts as missing: uploads re-send it and a commit's in-transaction check refuses a manifest naming it
//   (INVALID_STATE; the client then asks again, uploads what is missing and commits once more). So an add that asked
//   "missing?" before a collection and commits after it is refused, never recorded with a lost chunk.
// - The blob is deleted while the claimed row still exists and the row only afterwards. An upload of a claimed chunk waits
//   until the row is gone before it writes, so it cannot write a blob the collection then deletes. A claim older than
//   ClaimLease is taken to be from a collection that died: an upload removes it, a collection takes it over.
// The grace period protects chunks uploaded by adds that have not committed yet; it must exceed the longest add.
internal sealed partial class DataStore
{
    public static readonly TimeSpan DefaultGcGrace = TimeSpan.FromHours(1);
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(50);
    private const int ClaimBatch = 500;

    /// <summary>Deletes chunks that no version references and that no add touched within <paramref name="grace"/>.</summary>
    public async Task<DataGcResult> CollectGarbageAsync(TimeSpan? grace, CancellationToken ct)
    {
        var window = grace ?? DefaultGcGrace;
        if (window < TimeSpan.Zero)
        {
            throw KeelException.InvalidParameter("The grace period cannot be negative.");
        }

        // Before the manifests are read: a commit that the read misses has a later last_used than this.
        var cutoff = Now() - (long)window.TotalMilliseconds;
        var referenced = await ReferencedChunksAsync(ct);
        var candidates = new List<string>();
        long inGrace = 0;
        await using (var connection = await database.OpenReadAsync(ct))
        await using (var command = connection.Command("SELECT chunk_id, last_used, deleting_since FROM data_chunks"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var stale = Now() - (long)ClaimLease.TotalMilliseconds;
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetString(0);
                if (referenced.Contains(id))
                {
                    continue;
                }

                if (reader.IsDBNull(2) ? reader.GetInt64(1) < cutoff : reader.GetInt64(2) < stale)
                {
                    candidates.Add(id);
                }
                else if (reader.IsDBNull(2))
                {
                    inGrace++;
                }
            }
        }

        long chunks = 0, bytes = 0;
        foreach (var batch in candidates.Chunk(ClaimBatch))
        {
            var (claimedAt, claimed) = await ClaimAsync(batch, cutoff, ct);
            var deleted = new List<string>(claimed.Count);
            foreach (var (id, size) in claimed)
            {
                // Past the lease an upload may have taken the chunk back; deleting its blob now could lose it.
                if (Now() - claimedAt >= (long)ClaimLease.TotalMilliseconds)
                {
                    break;
                }

                try
                {
                    await artifacts.DeleteAsync(ChunkPath(id), ct);
                }
                catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
                {
                }

                deleted.Add(id);
                bytes += size;
            }

            await writes.ExecuteAsync(ctx =>
            {
                foreach (var part in deleted.Chunk(ClaimBatch))
                {
                    ctx.Execute($"DELETE FROM data_chunks WHERE deleting_since = @p0 AND chunk_id IN ({Parameters(1, part.Length)})", [claimedAt, .. part]);
                }
            }, ct);
            chunks += deleted.Count;
        }

        return new DataGcResult(chunks, bytes, referenced.Count, inGrace);
    }

    private async Task<(long ClaimedAt, List<(string Id, long Size)> Claimed)> ClaimAsync(string[] ids, long cutoff, CancellationToken ct)
    {
        return await writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            var claimed = new List<(string, long)>();
            using var reader = ctx.Query(
                "UPDATE data_chunks SET deleting_since = @p0 " +
                "WHERE ((deleting_since IS NULL AND last_used < @p1) OR deleting_since < @p2) " +
                $"AND chunk_id IN ({Parameters(3, ids.Length)}) RETURNING chunk_id, size",
                [now, cutoff, now - (long)ClaimLease.TotalMilliseconds, .. ids]);
            while (reader.Read())
            {
                claimed.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return (now, claimed);
        }, ct);
    }

    /// <summary>Every chunk id some version's manifest names, read from the stored manifests.</summary>
    private async Task<HashSet<string>> ReferencedChunksAsync(CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command("SELECT manifest FROM data_versions");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var manifest = JsonSerializer.Deserialize<DataManifest>(reader.GetString(0), ManifestJson)!;
            foreach (var file in manifest.Files)
            {
                foreach (var chunk in file.Chunks)
                {
                    ids.Add(chunk.Id);
                }
            }
        }

        return ids;
    }

    /// <summary>Marks a commit's chunks used, inside its transaction; false when one was claimed or removed since the upload.</summary>
    private static bool TouchChunks(WriteContext ctx, List<string> ids, long now)
    {
        var touched = 0;
        foreach (var batch in ids.Chunk(ClaimBatch))
        {
            touched += ctx.Execute(
                $"UPDATE data_chunks SET last_used = @p0 WHERE deleting_since IS NULL AND chunk_id IN ({Parameters(1, batch.Length)})", [now, .. batch]);
        }

        return touched == ids.Count;
    }

    private static string Parameters(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i));
}
