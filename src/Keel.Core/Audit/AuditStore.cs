using System.Data.Common;
using System.Globalization;
using Keel.Core.Storage;

namespace Keel.Core.Audit;

/// <summary>
/// The append-only audit trail. An append locks the chain head row first, so appends from every writer and every
/// replica take their turn; the entry and the new head commit in one transaction, so seq has no gaps. Nothing here
/// updates or deletes an entry.
/// </summary>
internal sealed class AuditStore(Database database, WriteQueue writes, AuditChain chain)
{
    public const int MaxPageSize = 1000;
    private const string Columns = "seq, time, actor, action, resource, request_id, outcome, payload_sha256, prev_hash, hash";

    public Task<long> AppendAsync(AuditRecord record, CancellationToken ct = default) =>
        writes.ExecuteAsync(ctx =>
        {
            // A no-op update takes the row lock (PostgreSQL) before reading, where a plain SELECT would let two
            // replicas read the same head and fork the chain.
            long seq;
            string prev;
            using (var head = ctx.Query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash"))
            {
                if (!head.Read())
                {
                    throw new InvalidOperationException("The audit chain head row is missing; the audit_head table was tampered with.");
                }

                seq = head.GetInt64(0) + 1;
                prev = head.GetString(1);
            }

            var hash = chain.Next(prev, record);
            ctx.Execute(
                $"INSERT INTO audit_log({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)",
                seq, record.Time, record.Actor, record.Action, record.Resource, record.RequestId, (long)record.Outcome, record.PayloadSha256, prev, hash);
            ctx.Execute("UPDATE audit_head SET seq = @p0, hash = @p1 WHERE id = 1", seq, hash);
            return seq;
        }, ct);

    public async Task<AuditPage> ListAsync(AuditFilter filter, int maxResults, string? pageToken, CancellationToken ct = default)
    {
        if (maxResults is < 1 or > MaxPageSize)
        {
            throw KeelException.InvalidParameter($"max_results must be between 1 and {MaxPageSize}.");
        }

        var after = 0L;
        if (pageToken is { Length: > 0 } && (!long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            throw KeelException.InvalidParameter($"page_token '{pageToken}' is not one this server issued.");
        }

        var conditions = new List<string> { "seq > @p0" };
        var values = new List<object?> { after };
        void Add(string condition, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition.Replace("@v", "@p" + values.Count, StringComparison.Ordinal));
                values.Add(value);
            }
        }

        Add("time >= @v", filter.Since);
        Add("time < @v", filter.Until);
        Add("actor = @v", filter.Actor);
        Add("action = @v", filter.Action);
        Add("resource = @v", filter.Resource);
        values.Add((long)maxResults + 1);

        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM audit_log WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT @p{values.Count - 1}", [.. values]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(Read(reader));
        }

        if (entries.Count <= maxResults)
        {
            return new AuditPage(entries, null);
        }

        entries.RemoveAt(entries.Count - 1);
        return new AuditPage(entries, entries[^1].Seq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Walks the chain from the first entry to the head and names the first entry that does not fit.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        long headSeq;
        string headHash;
        // The head first, then the entries up to it: entries appended meanwhile lie beyond it and are left for next time.
        await using (var command = connection.Command("SELECT seq, hash FROM audit_head WHERE id = 1"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return new AuditVerification(false, 0, 0, AuditChain.GenesisHash, new AuditProblem(0, AuditProblemKinds.HeadMismatch, "The chain head row is missing."));
            }

            headSeq = reader.GetInt64(0);
            headHash = reader.GetString(1);
        }

        var expected = 1L;
        var prev = AuditChain.GenesisHash;
        AuditVerification Fail(long seq, string kind, string detail) =>
            new(false, expected - 1, headSeq, headHash, new AuditProblem(seq, kind, detail));

        await using (var command = connection.Command($"SELECT {Columns} FROM audit_log WHERE seq <= @p0 ORDER BY seq", headSeq))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var entry = Read(reader);
                if (entry.Seq != expected)
                {
                    return Fail(expected, AuditProblemKinds.Missing,
                        expected == entry.Seq - 1
                            ? $"Entry {expected} is missing: entry {entry.Seq} follows entry {expected - 1}."
                            : $"Entries {expected} to {entry.Seq - 1} are missing: entry {entry.Seq} follows entry {expected - 1}.");
                }

                if (entry.PrevHash != prev || chain.Next(prev, entry.Record) != entry.Hash)
                {
                    // An entry that still matches its own stored predecessor's hash is intact, just not where it was written.
                    return entry.PrevHash != prev && chain.Next(entry.PrevHash, entry.Record) == entry.Hash
                        ? Fail(entry.Seq, AuditProblemKinds.Reordered,
                            $"Entry {entry.Seq} ({entry.Record.Action} by {entry.Record.Actor}) is intact but was written after another entry than {entry.Seq - 1}: entries were moved.")
                        : Fail(entry.Seq, AuditProblemKinds.Modified,
                            $"Entry {entry.Seq} does not match its hash: a field was changed, or the chain was recomputed without the key.");
                }

                prev = entry.Hash;
                expected++;
            }
        }

        var last = expected - 1;
        if (headSeq > last)
        {
            return Fail(expected, AuditProblemKinds.Missing, headSeq == expected
                ? $"Entry {expected} is missing: the chain head records entry {headSeq} as the last."
                : $"Entries {expected} to {headSeq} are missing: the chain head records entry {headSeq} as the last.");
        }

        if (headHash != prev)
        {
            return Fail(headSeq, AuditProblemKinds.HeadMismatch, $"The chain head's hash does not match entry {headSeq}'s.");
        }

        return new AuditVerification(true, last, headSeq, headHash, null);
    }

    private static AuditEntry Read(DbDataReader r) => new(
        r.GetInt64(0),
        new AuditRecord(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetNullableString(4), r.GetString(5), (int)r.GetInt64(6), r.GetNullableString(7)),
        r.GetString(8),
        r.GetString(9));
}
