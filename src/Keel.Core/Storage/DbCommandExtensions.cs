using System.Data.Common;

namespace Keel.Core.Storage;

internal static class DbCommandExtensions
{
    /// <summary>The provider-neutral AddWithValue.</summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A command for <paramref name="sql"/> with the values bound as @p0, @p1, ... (the numbering WriteContext uses).</summary>
    public static DbCommand Command(this DbConnection connection, string sql, params object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@p" + i, values[i]);
        }

        return command;
    }

    public static string? GetNullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
