using System.Data.Common;
using System.Text;
using System.Text.Json;
using Keel.Core.Storage;

namespace Keel.Core.Webhooks;

/// <summary>
/// MLflow's webhooks: their definitions here, their deliveries in <c>WebhookStore.Delivery.cs</c>. Writes go through
/// the group-commit <see cref="WriteQueue"/>, reads through pooled connections; the SQL runs unchanged on SQLite and
/// PostgreSQL.
/// </summary>
internal sealed partial class WebhookStore(Database database, WriteQueue writes, TimeProvider clock)
{
    private const int DefaultResults = 100;
    private const int MaxResults = 1000;
    private const string Columns = "webhook_id, name, description, url, status, creation_time, last_updated_time";

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<Webhook> CreateAsync(WebhookChange change, CancellationToken ct = default)
    {
        var name = RequireName(change.Name);
        var url = ValidateUrl(change.Url);
        var events = RequireEvents(change.Events);
        var status = change.Status is null ? WebhookStatus.Active : WebhookStatus.Canonical(change.Status);
        var id = Guid.NewGuid().ToString("N");
        await writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            // A new webhook hears about changes from now on, not the registry's whole history.
            var first = (long)ctx.Scalar("SELECT COALESCE(MAX(event_id), 0) FROM registry_events")!;
            ctx.Execute(
                "INSERT INTO webhooks(webhook_id, name, description, url, secret, status, creation_time, last_updated_time, first_event_id) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p6, @p7)",
                id, name, change.Description, url, NullIfEmpty(change.Secret), status, now, first);
            InsertSubscriptions(ctx, id, events);
        }, ct);
        return await GetAsync(id, ct);
    }

    public async Task<Webhook> GetAsync(string? webhookId, CancellationToken ct = default)
    {
        var id = RequireId(webhookId);
        await using var connection = await database.OpenReadAsync(ct);
        var webhooks = await ReadWebhooksAsync(connection, $"SELECT {Columns} FROM webhooks WHERE webhook_id = @p0", ct, id);
        return webhooks.Count == 1 ? webhooks[0] : throw NotFound(id);
    }

    /// <summary>Newest first, as MLflow lists them; the page token is an offset, as MLflow's is.</summary>
    public async Task<WebhookPage> ListAsync(long? maxResults, string? pageToken, CancellationToken ct = default)
    {
        var max = maxResults ?? DefaultResults;
        if (max <= 0 || max > MaxResults)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be at most {MaxResults} and positive, but got value {max}");
        }

        var offset = ParsePageToken(pageToken);
        await using var connection = await database.OpenReadAsync(ct);
        // One more than asked for says whether there is a next page.
        var webhooks = await ReadWebhooksAsync(connection,
            $"SELECT {Columns} FROM webhooks ORDER BY creation_time DESC, webhook_id LIMIT @p0 OFFSET @p1", ct, max + 1, offset);
        var next = webhooks.Count > max ? PageToken(offset + max) : null;
        return new WebhookPage(webhooks.Take((int)max).ToList(), next);
    }

    /// <summary>Changes the fields given; an empty secret removes the signature, an empty event list is refused.</summary>
    public async Task<Webhook> UpdateAsync(string? webhookId, WebhookChange change, CancellationToken ct = default)
    {
        var id = RequireId(webhookId);
        var name = change.Name is null ? null : RequireName(change.Name);
        var url = change.Url is null ? null : ValidateUrl(change.Url);
        var events = change.Events is null ? null : RequireEvents(change.Events);
        var status = change.Status is null ? null : WebhookStatus.Canonical(change.Status);
        await writes.ExecuteAsync(ctx =>
        {
            string currentName, currentUrl, currentStatus;
            string? currentDescription, currentSecret;
            using (var reader = ctx.Query("SELECT name, description, url, secret, status FROM webhooks WHERE webhook_id = @p0", id))
            {
                if (!reader.Read())
                {
                    throw NotFound(id);
                }

                (currentName, currentDescription, currentUrl, currentSecret, currentStatus) =
                    (reader.GetString(0), reader.GetNullableString(1), reader.GetString(2), reader.GetNullableString(3), reader.GetString(4));
            }

            ctx.Execute(
                "UPDATE webhooks SET name = @p0, description = @p1, url = @p2, secret = @p3, status = @p4, last_updated_time = @p5 WHERE webhook_id = @p6",
                name ?? currentName, change.Description ?? currentDescription, url ?? currentUrl,
                change.Secret is null ? currentSecret : NullIfEmpty(change.Secret), status ?? currentStatus, Now(), id);
            if (events is not null)
            {
                ctx.Execute("DELETE FROM webhook_subscriptions WHERE webhook_id = @p0", id);
                InsertSubscriptions(ctx, id, events);
            }
        }, ct);
        return await GetAsync(id, ct);
    }

    /// <summary>Deletes the webhook with its pending deliveries and its delivery log.</summary>
    public Task DeleteAsync(string? webhookId, CancellationToken ct = default)
    {
        var id = RequireId(webhookId);
        return writes.ExecuteAsync(ctx =>
        {
            if (ctx.Execute("DELETE FROM webhooks WHERE webhook_id = @p0", id) == 0)
            {
                throw NotFound(id);
            }

            ctx.Execute("DELETE FROM webhook_subscriptions WHERE webhook_id = @p0", id);
            ctx.Execute("DELETE FROM webhook_delivery_attempts WHERE webhook_id = @p0", id);
            ctx.Execute("DELETE FROM webhook_deliveries WHERE webhook_id = @p0", id);
        }, ct);
    }

    /// <summary>The URL, secret and events of a webhook, for a test delivery.</summary>
    public async Task<WebhookTarget> GetTargetAsync(string? webhookId, CancellationToken ct = default)
    {
        var id = RequireId(webhookId);
        await using var connection = await database.OpenReadAsync(ct);
        string url;
        string? secret;
        await using (var command = connection.Command("SELECT url, secret FROM webhooks WHERE webhook_id = @p0", id))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw NotFound(id);
            }

            (url, secret) = (reader.GetString(0), reader.GetNullableString(1));
        }

        return new WebhookTarget(id, url, secret, await ReadEventsAsync(connection, id, ct));
    }

    private static void InsertSubscriptions(WriteContext ctx, string id, IReadOnlyList<WebhookEvent> events)
    {
        foreach (var e in events.Distinct())
        {
            ctx.Execute("INSERT INTO webhook_subscriptions(webhook_id, event) VALUES (@p0, @p1)", id, e.ToString());
        }
    }

    private static async Task<List<Webhook>> ReadWebhooksAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] values)
    {
        var rows = new List<(string Id, string Name, string? Description, string Url, string Status, long Created, long Updated)>();
        await using (var command = connection.Command(sql, values))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt64(6)));
            }
        }

        var webhooks = new List<Webhook>(rows.Count);
        foreach (var r in rows)
        {
            webhooks.Add(new Webhook(r.Id, r.Name, r.Description, r.Url, await ReadEventsAsync(connection, r.Id, ct), r.Status, r.Created, r.Updated));
        }

        return webhooks;
    }

    private static async Task<List<WebhookEvent>> ReadEventsAsync(DbConnection connection, string id, CancellationToken ct)
    {
        var events = new List<WebhookEvent>();
        await using var command = connection.Command("SELECT event FROM webhook_subscriptions WHERE webhook_id = @p0 ORDER BY event", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(WebhookEvent.Parse(reader.GetString(0)));
        }

        return events;
    }

    private static string RequireId(string? id) =>
        string.IsNullOrEmpty(id) ? throw KeelException.InvalidParameter("Missing value for required parameter 'webhook_id'.") : id;

    private static string RequireName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? throw KeelException.InvalidParameter("Webhook name cannot be empty.") : name;

    private static IReadOnlyList<WebhookEvent> RequireEvents(IReadOnlyList<WebhookEvent>? events) =>
        events is { Count: > 0 } ? events : throw KeelException.InvalidParameter("Webhook events cannot be empty.");

    /// <summary>
    /// http or https with a host; nothing else is checked. There is no filtering of private or loopback addresses yet,
    /// so whoever may create webhooks can make the server POST to its own network (SSRF).
    /// </summary>
    private static string ValidateUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw KeelException.InvalidParameter("Webhook URL cannot be empty.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw KeelException.InvalidParameter($"Invalid webhook URL '{url}'. It must be an absolute http or https URL with a host.");
        }

        return url;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static KeelException NotFound(string id) => KeelException.NotFound($"Webhook with ID {id} not found.");

    private static string PageToken(long offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, long> { ["offset"] = offset })));

    private static long ParsePageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, long>>(Convert.FromBase64String(token));
            if (values is not null && values.TryGetValue("offset", out var offset) && offset >= 0)
            {
                return offset;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }

        throw KeelException.InvalidParameter($"Invalid page token '{token}'.");
    }
}
