using System.Text.Json;
using Keel.Core.Storage;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// The registry's change log: every change writes one row in the transaction that makes it, so the log and the
/// registry cannot disagree. Event names are MLflow's webhook events (mlflow/entities/webhook.py) where MLflow
/// has one; the others follow the same ENTITY_ACTION pattern (MODEL_VERSION_TRANSITIONED_STAGE is Databricks'
/// registry-webhook name).
/// </summary>
internal static class RegistryEvents
{
    public const string RegisteredModelCreated = "REGISTERED_MODEL_CREATED";
    public const string RegisteredModelRenamed = "REGISTERED_MODEL_RENAMED";
    public const string RegisteredModelUpdated = "REGISTERED_MODEL_UPDATED";
    public const string RegisteredModelDeleted = "REGISTERED_MODEL_DELETED";
    public const string RegisteredModelTagSet = "REGISTERED_MODEL_TAG_SET";
    public const string RegisteredModelTagDeleted = "REGISTERED_MODEL_TAG_DELETED";
    public const string ModelVersionCreated = "MODEL_VERSION_CREATED";
    public const string ModelVersionUpdated = "MODEL_VERSION_UPDATED";
    public const string ModelVersionDeleted = "MODEL_VERSION_DELETED";
    public const string ModelVersionTransitionedStage = "MODEL_VERSION_TRANSITIONED_STAGE";
    public const string ModelVersionTagSet = "MODEL_VERSION_TAG_SET";
    public const string ModelVersionTagDeleted = "MODEL_VERSION_TAG_DELETED";
    public const string ModelVersionAliasCreated = "MODEL_VERSION_ALIAS_CREATED";
    public const string ModelVersionAliasDeleted = "MODEL_VERSION_ALIAS_DELETED";

    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Appends an event inside the current write; <paramref name="payload"/> is serialised as snake_case JSON.</summary>
    public static void Append(WriteContext ctx, long time, string actor, string type, string modelName, long? version, object payload)
    {
        // Held to commit: the next writer (on any replica) takes its event id only after this one commits, so ids
        // appear in commit order and a reader that has seen id N will never later see a smaller one commit
        // (the webhook fan-out's cursor depends on it). On SQLite the write lock already gives that.
        ctx.Execute("INSERT INTO registry_event_lock(id) VALUES (1) ON CONFLICT(id) DO UPDATE SET id = excluded.id");
        ctx.Execute(
            "INSERT INTO registry_events(time, actor, event_type, model_name, version, payload) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            time, actor, type, modelName, version, JsonSerializer.Serialize(payload, PayloadJson));
    }

    /// <summary>Tags as MLflow's webhook payloads carry them: a key → value object.</summary>
    public static Dictionary<string, string> TagMap(IEnumerable<KeyValue> tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
