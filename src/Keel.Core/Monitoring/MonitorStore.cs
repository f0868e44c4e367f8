using System.Data.Common;
using System.Text.Json;
using Keel.Core.Storage;

namespace Keel.Core.Monitoring;

/// <summary>
/// Monitors and their window reports (labels in <c>MonitorStore.Feedback.cs</c>, alerts in <c>MonitorStore.Alerts.cs</c>).
/// Writes go through the group-commit <see cref="WriteQueue"/>; the SQL runs unchanged on SQLite and PostgreSQL.
/// </summary>
internal sealed partial class MonitorStore(Database database, WriteQueue writes, TimeProvider clock)
{
    private const int MaxName = 256;
    private const string Columns = "name, deployment, reference, window_kind, window_size, settings, creation_time";
    private const string ReportColumns = "monitor, window_index, range_start, range_end, computed_time, rows, labelled, dataset_drift, drift_share, dirty, report";

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<Monitor> CreateAsync(Monitor monitor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(monitor.Name) || monitor.Name.Length > MaxName
            || monitor.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw KeelException.InvalidParameter($"A monitor name is 1 to {MaxName} letters, digits, '-', '_' or '.', but got '{monitor.Name}'.");
        }

        if (string.IsNullOrWhiteSpace(monitor.Deployment))
        {
            throw KeelException.InvalidParameter("deployment is required: the name of the deployment to watch.");
        }

        if (MonitorReference.Parse(monitor.Reference) is null)
        {
            throw KeelException.InvalidParameter($"reference must be data:/NAME@VERSION or 'training', but got '{monitor.Reference}'.");
        }

        if (monitor.WindowKind is not (WindowKinds.Time or WindowKinds.Count) || monitor.WindowSize <= 0)
        {
            throw KeelException.InvalidParameter("A monitor needs a window: a positive duration (window_ms) or a positive number of predictions (every).");
        }

        monitor.Settings.Validate();
        var created = monitor with { CreationTime = Now() };
        try
        {
            await writes.ExecuteAsync(ctx => ctx.Execute(
                $"INSERT INTO monitors({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
                created.Name, created.Deployment, created.Reference, created.WindowKind, created.WindowSize,
                JsonSerializer.Serialize(created.Settings, MonitorSettings.Json), created.CreationTime), ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw KeelException.AlreadyExists($"Monitor '{monitor.Name}' already exists.");
        }

        return created;
    }

    public async Task<Monitor> GetAsync(string name, CancellationToken ct = default)
    {
        var found = await ReadMonitorsAsync($"SELECT {Columns} FROM monitors WHERE name = @p0", ct, name);
        return found.Count == 1 ? found[0] : throw NotFound(name);
    }

    public Task<List<Monitor>> ListAsync(Auth.ReadScope? scope = null, CancellationToken ct = default) =>
        ReadMonitorsAsync($"SELECT {Columns} FROM monitors{(scope is null ? "" : " WHERE " + scope.Condition(Auth.ResourceKind.Deployment, "deployment"))} ORDER BY name", ct);

    public Task<List<Monitor>> ListForDeploymentAsync(string deployment, CancellationToken ct = default) =>
        ReadMonitorsAsync($"SELECT {Columns} FROM monitors WHERE deployment = @p0 ORDER BY name", ct, deployment);

    /// <summary>Reports newest window first; <paramref name="before"/> pages on the window index.</summary>
    public async Task<IReadOnlyList<MonitorReport>> ReportsAsync(string monitor, long? before, long max, CancellationToken ct = default)
    {
        await GetAsync(monitor, ct);
        if (max is <= 0 or > 1000)
        {
            throw KeelException.InvalidParameter($"max_results must be between 1 and 1000, but got {max}.");
        }

        return await ReadReportsAsync(
            $"SELECT {ReportColumns} FROM monitor_reports WHERE monitor = @p0 AND status = @p1 AND window_index < @p2 ORDER BY window_index DESC LIMIT @p3",
            ct, monitor, ReportStatus.Done, before ?? long.MaxValue, max);
    }

    public async Task<MonitorReport> ReportAsync(string monitor, long window, CancellationToken ct = default)
    {
        var found = await ReadReportsAsync(
            $"SELECT {ReportColumns} FROM monitor_reports WHERE monitor = @p0 AND window_index = @p1 AND status = @p2", ct, monitor, window, ReportStatus.Done);
        return found.Count == 1 ? found[0] : throw KeelException.NotFound($"Monitor '{monitor}' has no report for window {window}.");
    }

    /// <summary>The latest report of every monitor, for the metrics endpoint.</summary>
    public Task<IReadOnlyList<MonitorReport>> LatestReportsAsync(CancellationToken ct = default) => ReadReportsAsync(
        $"SELECT {string.Join(", ", ReportColumns.Split(", ").Select(c => "r." + c))} FROM monitor_reports r " +
        "JOIN (SELECT monitor, MAX(window_index) AS w FROM monitor_reports WHERE status = @p0 GROUP BY monitor) l " +
        "ON l.monitor = r.monitor AND l.w = r.window_index ORDER BY r.monitor", ct, ReportStatus.Done);

    /// <summary>The highest window index with a row (claimed or done), or null before the first.</summary>
    public async Task<long?> LastWindowAsync(string monitor, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command("SELECT MAX(window_index) FROM monitor_reports WHERE monitor = @p0", monitor);
        return await command.ExecuteScalarAsync(ct) is long n ? n : null;
    }

    /// <summary>Windows to compute again: dirty ones, and claims whose replica died (older than <paramref name="lease"/>).</summary>
    public async Task<IReadOnlyList<long>> StaleWindowsAsync(string monitor, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(
            "SELECT window_index FROM monitor_reports WHERE monitor = @p0 AND (dirty OR (status = @p1 AND claim_time < @p2)) ORDER BY window_index LIMIT 100",
            monitor, ReportStatus.Claimed, Now() - (long)lease.TotalMilliseconds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var windows = new List<long>();
        while (await reader.ReadAsync(ct))
        {
            windows.Add(reader.GetInt64(0));
        }

        return windows;
    }

    /// <summary>Claims a new window by inserting its row; false when another replica (or an earlier round) has it.</summary>
    public async Task<bool> ClaimNewAsync(string monitor, long window, long start, long end, CancellationToken ct)
    {
        try
        {
            await writes.ExecuteAsync(ctx => ctx.Execute(
                "INSERT INTO monitor_reports(monitor, window_index, range_start, range_end, status, claim_time, computed_time, rows, labelled, dataset_drift, drift_share, dirty) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, 0, 0, 0, @p6, 0, @p6)",
                monitor, window, start, end, ReportStatus.Claimed, Now(), false), ct);
            return true;
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Claims an existing window again (dirty, or a lapsed claim). The UPDATE's condition is re-checked against the
    /// committed row, so of two replicas racing for it exactly one changes a row.
    /// </summary>
    public Task<bool> ReclaimAsync(string monitor, long window, TimeSpan lease, CancellationToken ct)
    {
        var now = Now();
        return writes.ExecuteAsync(ctx => ctx.Execute(
            "UPDATE monitor_reports SET status = @p0, claim_time = @p1, dirty = @p2 " +
            "WHERE monitor = @p3 AND window_index = @p4 AND ((dirty AND status = @p5) OR (status = @p0 AND claim_time < @p6))",
            ReportStatus.Claimed, now, false, monitor, window, ReportStatus.Done, now - (long)lease.TotalMilliseconds) == 1, ct);
    }

    /// <summary>
    /// Gives back a claim whose computation failed: a window computed before keeps its report and stays dirty, a new
    /// one is deleted; either way the next round tries again.
    /// </summary>
    public Task ReleaseAsync(string monitor, long window, CancellationToken ct) =>
        writes.ExecuteAsync(ctx =>
        {
            ctx.Execute("DELETE FROM monitor_reports WHERE monitor = @p0 AND window_index = @p1 AND status = @p2 AND report IS NULL",
                monitor, window, ReportStatus.Claimed);
            ctx.Execute("UPDATE monitor_reports SET status = @p0, dirty = @p1 WHERE monitor = @p2 AND window_index = @p3 AND status = @p4",
                ReportStatus.Done, true, monitor, window, ReportStatus.Claimed);
        }, ct);

    public Task CompleteAsync(string monitor, long window, long start, long end, long rows, long labelled, bool datasetDrift, double driftShare,
        string report, CancellationToken ct) =>
        writes.ExecuteAsync(ctx => ctx.Execute(
            "UPDATE monitor_reports SET status = @p0, computed_time = @p1, range_start = @p2, range_end = @p3, rows = @p4, labelled = @p5, " +
            "dataset_drift = @p6, drift_share = @p7, report = @p8 WHERE monitor = @p9 AND window_index = @p10",
            ReportStatus.Done, Now(), start, end, rows, labelled, datasetDrift, driftShare, report, monitor, window), ct);

    private async Task<List<Monitor>> ReadMonitorsAsync(string sql, CancellationToken ct, params object?[] values)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var monitors = new List<Monitor>();
        while (await reader.ReadAsync(ct))
        {
            monitors.Add(new Monitor(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                JsonSerializer.Deserialize<MonitorSettings>(reader.GetString(5), MonitorSettings.Json)!, reader.GetInt64(6)));
        }

        return monitors;
    }

    private async Task<IReadOnlyList<MonitorReport>> ReadReportsAsync(string sql, CancellationToken ct, params object?[] values)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var reports = new List<MonitorReport>();
        while (await reader.ReadAsync(ct))
        {
            reports.Add(ReadReport(reader));
        }

        return reports;
    }

    private static MonitorReport ReadReport(DbDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetBoolean(7), r.GetDouble(8),
        r.GetBoolean(9), r.IsDBNull(10) ? default : JsonElement.Parse(r.GetString(10)));

    private static KeelException NotFound(string name) => KeelException.NotFound($"Monitor '{name}' does not exist.");
}

internal static class ReportStatus
{
    public const string Claimed = "CLAIMED";
    public const string Done = "DONE";
}
