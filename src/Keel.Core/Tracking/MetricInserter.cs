using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Core.Tracking;

/// <summary>
/// The metric append, bound by position on a statement prepared once. Microsoft.Data.Sqlite
/// resolves every parameter by name on every execution; at a thousand points per request on the
/// single writer thread that lookup was most of the cost of ingest.
/// </summary>
internal sealed class MetricInserter : IDisposable
{
    private const string Sql =
        "INSERT INTO metrics(run_key, key, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, byte[]> _utf8Keys = new(StringComparer.Ordinal);

    public MetricInserter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    public void Insert(long runKey, Metric metric)
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

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
        }
    }
}
