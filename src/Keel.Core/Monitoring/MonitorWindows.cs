using System.Globalization;
using System.Text.Json;
using Keel.Core.Storage;

namespace Keel.Core.Monitoring;

/// <summary>One non-shadow prediction of a window, with its label if one arrived.</summary>
internal sealed record WindowRow(long Seq, string PredictionId, string ModelName, long ModelVersion, JsonElement Inputs, JsonElement Outputs, long Time, JsonElement? Label);

/// <summary>
/// Which predictions a window holds. Time windows are aligned to multiples of their size (window k is
/// [k·size, (k+1)·size) in Unix ms); count windows are the deployment's non-shadow predictions k·N to (k+1)·N − 1 in
/// log order. Shadow rows (a candidate answering the same requests) never count: they are not what users got.
/// </summary>
internal sealed class MonitorWindows(Database database)
{
    private const string Select =
        "SELECT p.seq, p.prediction_id, p.model_name, p.model_version, p.inputs, p.outputs, p.time, l.label " +
        "FROM predictions p LEFT JOIN prediction_labels l ON l.prediction_id = p.prediction_id ";

    public async Task<IReadOnlyList<WindowRow>> ReadAsync(Monitor monitor, long window, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = monitor.WindowKind == WindowKinds.Time
            ? connection.Command(Select + "WHERE p.deployment = @p0 AND NOT p.shadow AND p.time >= @p1 AND p.time < @p2 ORDER BY p.seq",
                monitor.Deployment, window * monitor.WindowSize, (window + 1) * monitor.WindowSize)
            : connection.Command(Select + "WHERE p.deployment = @p0 AND NOT p.shadow ORDER BY p.seq LIMIT @p1 OFFSET @p2",
                monitor.Deployment, monitor.WindowSize, window * monitor.WindowSize);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<WindowRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new WindowRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                JsonElement.Parse(reader.GetString(4)), JsonElement.Parse(reader.GetString(5)), reader.GetInt64(6),
                reader.IsDBNull(7) ? null : JsonElement.Parse(reader.GetString(7))));
        }

        return rows;
    }

    /// <summary>The first window to evaluate: the one holding the deployment's oldest prediction, or the monitor's creation.</summary>
    public async Task<long> FirstAsync(Monitor monitor, CancellationToken ct)
    {
        if (monitor.WindowKind == WindowKinds.Count)
        {
            return 0;
        }

        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command("SELECT MIN(time) FROM predictions WHERE deployment = @p0 AND NOT shadow", monitor.Deployment);
        var oldest = await command.ExecuteScalarAsync(ct) is long t ? t : monitor.CreationTime;
        return Math.Min(oldest, monitor.CreationTime) / monitor.WindowSize;
    }

    /// <summary>
    /// Whether a window is closed: a time window once its end is <paramref name="closingDelay"/> in the past (rows are
    /// written in batches after they are made), a count window once the log holds its last row.
    /// </summary>
    public async Task<bool> IsClosedAsync(Monitor monitor, long window, long now, TimeSpan closingDelay, CancellationToken ct)
    {
        if (monitor.WindowKind == WindowKinds.Time)
        {
            return (window + 1) * monitor.WindowSize + (long)closingDelay.TotalMilliseconds <= now;
        }

        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(
            "SELECT COUNT(*) FROM (SELECT seq FROM predictions WHERE deployment = @p0 AND NOT shadow ORDER BY seq LIMIT 1 OFFSET @p1) x",
            monitor.Deployment, ((window + 1) * monitor.WindowSize) - 1);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Rows as a table: a column per key of the JSON objects (a non-object is one column named <paramref name="scalarName"/>).</summary>
    public static DriftTable Table(IEnumerable<JsonElement> objects, string scalarName)
    {
        var values = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        var rows = 0;
        foreach (var o in objects)
        {
            if (o.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in o.EnumerateObject())
                {
                    Column(values, property.Name, rows).Add(Text(property.Value));
                }
            }
            else
            {
                Column(values, scalarName, rows).Add(Text(o));
            }

            rows++;
            foreach (var column in values.Values.Where(c => c.Count < rows))
            {
                column.Add(null);
            }
        }

        return new DriftTable(rows, values.Select(v => TableColumn.FromText(v.Key, v.Value)).ToArray());
    }

    private static List<string?> Column(Dictionary<string, List<string?>> values, string name, int rows)
    {
        if (!values.TryGetValue(name, out var column))
        {
            // A key first seen on a later row was missing on the earlier ones.
            values[name] = column = Enumerable.Repeat<string?>(null, rows).ToList();
        }

        return column;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
