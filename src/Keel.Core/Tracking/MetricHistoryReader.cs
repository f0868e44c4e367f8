using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Keel.Core.Tracking;

/// <summary>
/// A forward-only cursor over one metric's history in (step, timestamp, value) order. It hands out
/// values, not objects, so a 100,000-point history streams with no per-point allocation.
/// </summary>
internal sealed class MetricHistoryReader(SqliteConnection connection, SqliteCommand command, SqliteDataReader reader) : IAsyncDisposable
{
    public long Step { get; private set; }

    public long Timestamp { get; private set; }

    public double Value { get; private set; }

    // SQLite is in-process: a synchronous step per row is cheaper than a Task per row and blocks nothing remote.
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
