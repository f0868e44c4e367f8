using Keel.Core.Storage;

namespace Keel.Core.Deployments;

/// <summary>
/// Deployments' per-minute traffic totals. Every host adds its counts with one upsert per row, so replicas and
/// <c>keel serve</c> processes following the same deployment add into the same minutes without coordinating.
/// </summary>
internal sealed class TrafficStore(Database database, WriteQueue writes, TimeProvider clock)
{
    /// <summary>The longest history a read returns: a day of minutes.</summary>
    public const int MaxMinutes = 24 * 60;

    /// <summary>How long minutes are kept; older ones are deleted by the next add after an hour has passed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private long _nextCleanup;

    private const string Buckets = "l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11";

    private static readonly string Upsert =
        $"INSERT INTO deployment_traffic(deployment, minute, model_name, model_version, requests, errors, {Buckets}) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, " + string.Join(", ", Enumerable.Range(6, 12).Select(i => $"@p{i}")) + ") " +
        "ON CONFLICT (deployment, minute, model_name, model_version) DO UPDATE SET " +
        "requests = deployment_traffic.requests + excluded.requests, errors = deployment_traffic.errors + excluded.errors, " +
        string.Join(", ", Buckets.Split(", ").Select(b => $"{b} = deployment_traffic.{b} + excluded.{b}"));

    public async Task AddAsync(string deployment, IReadOnlyList<TrafficMinute> minutes, CancellationToken ct = default)
    {
        for (var i = 0; i < minutes.Count; i++)
        {
            Validate(deployment, minutes[i], i);
        }

        await writes.ExecuteAsync(ctx =>
        {
            if (ctx.Scalar("SELECT 1 FROM deployments WHERE name = @p0", deployment) is null)
            {
                throw KeelException.NotFound($"Deployment '{deployment}' does not exist.");
            }

            foreach (var m in minutes)
            {
                ctx.Execute(Upsert, [m.Deployment, m.Minute, m.ModelName, m.ModelVersion, m.Requests, m.Errors, .. m.LatencyBuckets.Cast<object?>()]);
            }
        }, ct);

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = Interlocked.Read(ref _nextCleanup);
        // Any replica may clean up; deleting what another already deleted costs nothing.
        if (now >= due && Interlocked.CompareExchange(ref _nextCleanup, now + (long)TimeSpan.FromHours(1).TotalMilliseconds, due) == due)
        {
            await writes.ExecuteAsync(ctx => ctx.Execute("DELETE FROM deployment_traffic WHERE minute < @p0", now - (long)Retention.TotalMilliseconds), ct);
        }
    }

    /// <summary>Answered and failed requests per deployment and model version from <paramref name="since"/> (epoch ms) on.</summary>
    public async Task<IReadOnlyList<TrafficTotal>> TotalsSinceAsync(long since, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT deployment, model_name, model_version, SUM(requests), SUM(errors) FROM deployment_traffic " +
            "WHERE minute >= @p0 GROUP BY deployment, model_name, model_version";
        command.AddParameter("@p0", since);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var totals = new List<TrafficTotal>();
        while (await reader.ReadAsync(ct))
        {
            totals.Add(new TrafficTotal(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return totals;
    }

    /// <summary>The deployment's minutes from <paramref name="since"/> (epoch ms) on, oldest first.</summary>
    public async Task<IReadOnlyList<TrafficMinute>> ReadAsync(string deployment, long since, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT minute, model_name, model_version, requests, errors, {Buckets} FROM deployment_traffic " +
            "WHERE deployment = @p0 AND minute >= @p1 ORDER BY minute, model_name, model_version";
        command.AddParameter("@p0", deployment);
        command.AddParameter("@p1", since);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var minutes = new List<TrafficMinute>();
        while (await reader.ReadAsync(ct))
        {
            var buckets = new long[TrafficMinute.Buckets];
            for (var b = 0; b < buckets.Length; b++)
            {
                buckets[b] = reader.GetInt64(5 + b);
            }

            minutes.Add(new TrafficMinute(deployment, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), buckets));
        }

        return minutes;
    }

    private static void Validate(string deployment, TrafficMinute m, int index)
    {
        string? problem = m switch
        {
            _ when m.Deployment != deployment => $"names deployment '{m.Deployment}', not '{deployment}'",
            _ when m.Minute <= 0 || m.Minute % 60_000 != 0 => "minute must be a positive multiple of 60000 (the minute's start in epoch milliseconds)",
            _ when string.IsNullOrWhiteSpace(m.ModelName) => "model_name is required",
            _ when m.ModelVersion <= 0 => "model_version must be positive",
            _ when m.Requests < 0 || m.Errors < 0 => "requests and errors must not be negative",
            _ when m.LatencyBuckets.Length != TrafficMinute.Buckets => $"latency_buckets must have {TrafficMinute.Buckets} counts",
            _ when m.LatencyBuckets.Any(b => b < 0) => "latency_buckets must not be negative",
            _ when m.LatencyBuckets.Sum() != m.Requests => "latency_buckets must add up to requests (one latency per answered request)",
            _ => null,
        };
        if (problem is not null)
        {
            throw KeelException.InvalidParameter($"minutes[{index}] {problem}.");
        }
    }
}
