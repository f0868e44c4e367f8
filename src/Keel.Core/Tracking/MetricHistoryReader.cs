using System.Runtime.CompilerServices;
using System.Data.Common;

namespace Keel.Core.Tracking;

/// <summary>
/// A forward-only cursor over one metric's history in (step, timestamp, value) order. It hands out
/// values, not objects, so a 100,000-point history streams with no per-point allocation.
/// </summary>
internal sealed class MetricHistoryReader(DbConnection connection, DbCommand command, DbDataReader reader) : IAsyncDisposable
{
    public long Step { get; private set; }

    public long Timestamp { get; private set; }

    public double Value { get; private set; }

    // A synchronous step per row is cheaper than a Task per row: SQLite is in-process, and PostgreSQL's
    // reader fills a buffer of many rows per network read.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        if (!reader.Read())
        {
            return false;
        }

        Step = reader.GetInt64(0);
        Timestamp = reader.GetInt64(1);
        Value = StoredMetricValue.Read(reader.GetDouble(2), reader.GetBoolean(3));
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
        await connection.DisposeAsync();
    }
}
