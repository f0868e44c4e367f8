using Keel.Core.Storage;

namespace Keel.Server.Ui;

internal sealed record DatasetSummary(string Name, long Versions, long LatestVersion, long LatestTime);

/// <summary>
/// The list of datasets for the data page. The data store offers versions per dataset but no list of datasets, so
/// this one read-only query over its tables lives here rather than changing the data area for the UI.
/// </summary>
internal sealed class DataCatalog(Database database)
{
    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(
            "SELECT d.name, COUNT(v.version), MAX(v.version), MAX(v.creation_time) FROM data_datasets d " +
            "JOIN data_versions v ON v.dataset_id = d.dataset_id GROUP BY d.name ORDER BY d.name");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<DatasetSummary>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new DatasetSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return result;
    }
}
