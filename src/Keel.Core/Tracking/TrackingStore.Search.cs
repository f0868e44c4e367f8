using System.Globalization;
using Keel.Core.Tracking.Search;
using System.Data.Common;
using Keel.Core.Storage;

namespace Keel.Core.Tracking;

internal sealed partial class TrackingStore
{
    private const int DefaultMaxResults = 1000;

    public async Task<Page<Experiment>> SearchExperimentsAsync(
        ViewType view, string? filter, IReadOnlyList<string>? orderBy, long? maxResults, string? pageToken, Auth.ReadScope? scope = null,
        CancellationToken ct = default)
    {
        var max = (int)(maxResults ?? DefaultMaxResults);
        Validation.MaxResults(max);
        var offset = PageToken.Decode(pageToken);
        var query = ExperimentSearchSql.Build(view, filter, orderBy, max + 1, offset,
            scope?.Condition(Auth.ResourceKind.Experiment, "CAST(e.experiment_id AS TEXT)"));
        await using var connection = await database.OpenReadAsync(ct);
        var ids = new List<long>();
        await SelectKeysAsync(connection, query, ids, int.MaxValue, ct);
        var page = ids.Take(max).ToList();
        var byId = (await LoadExperimentsAsync(connection, "experiment_id " + database.InList("@ids"), ("@ids", database.ListValue(page)), ct))
            .ToDictionary(e => e.ExperimentId);
        return new Page<Experiment>(page.Select(id => byId[id]).ToList(), ids.Count > max ? PageToken.Encode(offset + max) : null);
    }

    public async Task<Page<Run>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string? filter, ViewType view, long? maxResults, IReadOnlyList<string>? orderBy, string? pageToken,
        CancellationToken ct = default)
    {
        var max = (int)(maxResults ?? DefaultMaxResults);
        Validation.MaxResults(max);
        var ids = experimentIds.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw KeelException.InvalidParameter($"Invalid experiment ID: '{id}'")).ToList();
        var offset = PageToken.Decode(pageToken);
        // One row past the page tells whether there is a next page.
        var query = RunSearchSql.Build(ids, view, filter, orderBy, max + 1, offset);
        await using var connection = await database.OpenReadAsync(ct);
        var keys = new List<long>(query.Window);
        foreach (var part in query.Parts)
        {
            if (keys.Count == query.Window)
            {
                break;
            }

            await SelectKeysAsync(connection, part, keys, query.Window, ct);
        }

        var page = keys.Skip(offset).ToList();
        var runs = await LoadRunsAsync(connection, page.Take(max).ToList(), ct);
        return new Page<Run>(runs, page.Count > max ? PageToken.Encode(offset + max) : null);
    }

    /// <summary>Appends the query's keys to <paramref name="keys"/> until it holds <paramref name="upTo"/>; closing the reader early stops the scan.</summary>
    private static async Task SelectKeysAsync(DbConnection connection, SqlQuery query, List<long> keys, int upTo, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            command.AddParameter(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (keys.Count < upTo && await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetInt64(0));
        }
    }
}
