using System.Data.Common;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    /// <summary>
    /// Every event of the model now called <paramref name="name"/>, oldest first, across renames. Events are
    /// logged under the name a model had at the time, so this walks back through REGISTERED_MODEL_RENAMED
    /// events (logged under the new name, with the old one in the payload), and ignores events of earlier
    /// models that had the same name (anything before this model's creation or rename into that name).
    /// </summary>
    public async Task<IReadOnlyList<RegistryEvent>> ReadModelHistoryAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        var segments = new List<List<RegistryEvent>>();
        var (current, before) = (name, long.MaxValue);
        // A rename chain longer than this is not a real history; it bounds a malformed log.
        for (var hop = 0; hop < 1000; hop++)
        {
            var events = await ReadNamedEventsAsync(connection, current, before, ct);
            var start = events.FindLastIndex(e => e.EventType is RegistryEvents.RegisteredModelCreated or RegistryEvents.RegisteredModelRenamed);
            segments.Add(start < 0 ? events : events[start..]);
            if (start < 0 || events[start].EventType != RegistryEvents.RegisteredModelRenamed
                || RenamedFrom(events[start]) is not { } previous)
            {
                break;
            }

            (current, before) = (previous, events[start].Id);
        }

        segments.Reverse();
        return segments.SelectMany(s => s).ToList();
    }

    private static async Task<List<RegistryEvent>> ReadNamedEventsAsync(DbConnection connection, string name, long before, CancellationToken ct)
    {
        await using var command = Command(connection, Query(
            "SELECT event_id, time, actor, event_type, model_name, version, payload FROM registry_events " +
            "WHERE model_name = @p0 AND event_id < @p1 ORDER BY event_id", name, before));
        return await ReadEventsAsync(command, ct);
    }

    private static string? RenamedFrom(RegistryEvent renamed)
    {
        using var payload = System.Text.Json.JsonDocument.Parse(renamed.Payload);
        return payload.RootElement.TryGetProperty("name", out var old) ? old.GetString() : null;
    }
}
