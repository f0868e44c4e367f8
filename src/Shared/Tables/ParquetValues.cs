using Parquet;
using Parquet.Schema;

namespace Keel.Tables;

/// <summary>Reads one row group's values of a value-typed Parquet column, required or optional, with nulls where missing.</summary>
internal static class ParquetValues
{
    public static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }

        // Parquet.Net 6.1 can leave entries null when a required column is read into a nullable buffer while other
        // reads run at once (a third of parallel reads in DriftTableReaderTests), so it is read as its own type.
        var present = new T[rows];
        await group.ReadAsync(field, present.AsMemory(), null, ct).ConfigureAwait(false);
        for (var i = 0; i < rows; i++)
        {
            values[i] = present[i];
        }

        return values;
    }
}
