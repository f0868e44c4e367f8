using System.Globalization;
using Keel.Core.Storage;

namespace Keel.Core.Data;

internal sealed partial class DataStore
{
    // The tracking store records a Keel dataset input with source data:/NAME@VERSION (KeelDataClient.LogInputAsync), so
    // lineage is a join on that source rather than a second record that could disagree with the run's inputs.
    private const string RunsUsing =
        "SELECT i.run_key FROM inputs i JOIN datasets s ON s.dataset_id = i.dataset_id WHERE s.source = @p0";

    /// <summary>The runs that logged a version as an input (deleted ones included, marked), and the model versions registered from them.</summary>
    public async Task<DataLineage> GetLineageAsync(string? name, string? reference, CancellationToken ct)
    {
        var version = await GetVersionAsync(name, reference, ct);
        var uri = $"data:/{version.Name}@{version.Version}";
        await using var connection = await database.OpenReadAsync(ct);
        var runs = new List<DataLineageRun>();
        await using (var command = connection.Command(
            $"SELECT r.run_uuid, r.name, r.experiment_id, r.status, r.lifecycle_stage, r.start_time FROM runs r WHERE r.run_key IN ({RunsUsing}) " +
            "ORDER BY r.start_time, r.run_uuid", uri))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                runs.Add(new DataLineageRun(reader.GetString(0), reader.GetString(1), reader.GetInt64(2).ToString(CultureInfo.InvariantCulture),
                    reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
            }
        }

        var models = new List<DataLineageModelVersion>();
        await using (var command = connection.Command(
            "SELECT m.name, v.version, v.run_id, v.current_stage FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id " +
            $"WHERE v.run_id IN (SELECT r.run_uuid FROM runs r WHERE r.run_key IN ({RunsUsing})) ORDER BY m.name, v.version", uri))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                models.Add(new DataLineageModelVersion(reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture),
                    reader.GetString(2), reader.GetString(3)));
            }
        }

        return new DataLineage(version, uri, runs, models);
    }
}
