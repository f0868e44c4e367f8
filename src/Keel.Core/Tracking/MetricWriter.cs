using System.Text;
using Keel.Core.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Core.Tracking;

/// <summary>
/// Appends a run's points to the metric history and moves its latest values forward, each engine by
/// its fastest path. An exact repeat of a point is a no-op: SQLite's primary key refuses it, PostgreSQL's view drops it.
/// </summary>
internal abstract class MetricWriter : IDisposable
{
    // MLflow keeps the point with the greatest (step, timestamp, value) as a run's current value.
    protected const string LatestIsLater =
        "WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)";

    protected const string LatestUpdate =
        "ON CONFLICT(run_key, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan ";

    public static MetricWriter Create(WriteContext context) => context.Database.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteMetricWriter(context),
        _ => new PostgresMetricWriter(context),
    };

    /// <param name="latest">The latest point of each key in <paramref name="metrics"/>.</param>
    public abstract void Write(long runKey, IReadOnlyList<Metric> metrics, IReadOnlyCollection<Metric> latest);

    public virtual void Dispose()
    {
    }
}

/// <summary>
/// Binds by position on a statement prepared once. Microsoft.Data.Sqlite resolves every parameter by
/// name on every execution; at a thousand points per request on the single writer thread that lookup
/// was most of the cost of ingest.
/// </summary>
internal sealed class SqliteMetricWriter : MetricWriter
{
    private const string Sql =
        "INSERT INTO metrics(run_key, key, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";

    private const string UpsertLatest =
        "INSERT INTO latest_metrics(run_key, key, value, timestamp, step, is_nan) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) " + LatestUpdate + LatestIsLater;

    private readonly WriteContext _context;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, byte[]> _utf8Keys = new(StringComparer.Ordinal);

    public SqliteMetricWriter(WriteContext context)
    {
        _context = context;
        _db = ((SqliteConnection)context.Connection).Handle!;
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    public override void Write(long runKey, IReadOnlyList<Metric> metrics, IReadOnlyCollection<Metric> latest)
    {
        foreach (var metric in metrics)
        {
            Insert(runKey, metric);
        }

        foreach (var m in latest)
        {
            _context.Execute(UpsertLatest, runKey, m.Key, StoredMetricValue.Value(m.Value), m.Timestamp, m.Step, StoredMetricValue.IsNan(m.Value));
        }
    }

    private void Insert(long runKey, Metric metric)
    {
        if (!_utf8Keys.TryGetValue(metric.Key, out var key))
        {
            if (_utf8Keys.Count > 10_000)
            {
                _utf8Keys.Clear();
            }

            _utf8Keys[metric.Key] = key = Encoding.UTF8.GetBytes(metric.Key);
        }

        raw.sqlite3_bind_int64(_statement, 1, runKey);
        raw.sqlite3_bind_text(_statement, 2, key);
        raw.sqlite3_bind_int64(_statement, 3, metric.Step);
        raw.sqlite3_bind_int64(_statement, 4, metric.Timestamp);
        raw.sqlite3_bind_double(_statement, 5, StoredMetricValue.Value(metric.Value));
        raw.sqlite3_bind_int(_statement, 6, StoredMetricValue.IsNan(metric.Value) ? 1 : 0);
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
        }
    }

    public override void Dispose()
    {
        _statement.Dispose();
        base.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
        }
    }
}

/// <summary>
/// A batch's points go in as one chunk row per key (see <see cref="MetricChunkRow"/>): a few rows per
/// thousand points instead of a thousand index entries. Latest values are one UNNEST upsert, rows in
/// key order so two replicas writing to one run take their locks in the same order instead of deadlocking.
/// </summary>
internal sealed class PostgresMetricWriter(WriteContext context) : MetricWriter
{
    private const string InsertChunk =
        "INSERT INTO metric_chunks(run_key, key, steps, timestamps, values, nans) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)";

    private const string UpsertLatest =
        "INSERT INTO latest_metrics(run_key, key, value, timestamp, step, is_nan) " +
        "SELECT @p0, * FROM unnest(@p1::text[], @p2::float8[], @p3::bigint[], @p4::bigint[], @p5::boolean[]) " + LatestUpdate + LatestIsLater;

    public override void Write(long runKey, IReadOnlyList<Metric> metrics, IReadOnlyCollection<Metric> latest)
    {
        foreach (var chunk in metrics.GroupBy(m => m.Key, StringComparer.Ordinal))
        {
            var points = chunk.ToArray();
            context.Execute(InsertChunk, runKey, chunk.Key,
                Array.ConvertAll(points, m => m.Step),
                Array.ConvertAll(points, m => m.Timestamp),
                Array.ConvertAll(points, m => StoredMetricValue.Value(m.Value)),
                Array.ConvertAll(points, m => StoredMetricValue.IsNan(m.Value)));
        }

        var last = latest.OrderBy(m => m.Key, StringComparer.Ordinal).ToArray();
        context.Execute(UpsertLatest, runKey,
            Array.ConvertAll(last, m => m.Key),
            Array.ConvertAll(last, m => StoredMetricValue.Value(m.Value)),
            Array.ConvertAll(last, m => m.Timestamp),
            Array.ConvertAll(last, m => m.Step),
            Array.ConvertAll(last, m => StoredMetricValue.IsNan(m.Value)));
    }
}
