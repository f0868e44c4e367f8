using Keel.Core.Registry;

namespace Keel.Core.Webhooks;

/// <summary>An event a webhook subscribes to: an entity and an action, as MLflow's WebhookEvent (model_version.created).</summary>
internal readonly record struct WebhookEvent(string Entity, string Action)
{
    public override string ToString() => $"{Entity}.{Action}";

    public static WebhookEvent Parse(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return new WebhookEvent(key[..dot], key[(dot + 1)..]);
    }
}

/// <summary>
/// Which events exist and how Keel's change log maps to them. MLflow's pairs (mlflow/entities/webhook.py,
/// VALID_ENTITY_ACTIONS) are accepted as MLflow accepts them. Keel records more changes than MLflow has webhook
/// events for; those are named the same way (REGISTERED_MODEL_DELETED is registered_model.deleted) and are
/// delivered only to webhooks that subscribe to that name, so a webhook written for MLflow never sees them.
/// </summary>
internal static class WebhookEvents
{
    private static readonly Dictionary<string, string[]> MlflowActions = new(StringComparer.Ordinal)
    {
        ["registered_model"] = ["created"],
        ["model_version"] = ["created"],
        ["model_version_tag"] = ["set", "deleted"],
        ["model_version_alias"] = ["created", "deleted"],
        ["prompt"] = ["created"],
        ["prompt_version"] = ["created"],
        ["prompt_tag"] = ["set", "deleted"],
        ["prompt_version_tag"] = ["set", "deleted"],
        ["prompt_alias"] = ["created", "deleted"],
        ["budget_policy"] = ["exceeded"],
    };

    // Keel's change log name → the event it is delivered as.
    private static readonly Dictionary<string, WebhookEvent> ByRegistryEvent = new(StringComparer.Ordinal)
    {
        [RegistryEvents.RegisteredModelCreated] = new("registered_model", "created"),
        [RegistryEvents.ModelVersionCreated] = new("model_version", "created"),
        [RegistryEvents.ModelVersionTagSet] = new("model_version_tag", "set"),
        [RegistryEvents.ModelVersionTagDeleted] = new("model_version_tag", "deleted"),
        [RegistryEvents.ModelVersionAliasCreated] = new("model_version_alias", "created"),
        [RegistryEvents.ModelVersionAliasDeleted] = new("model_version_alias", "deleted"),
        // Keel's own: no MLflow counterpart.
        [RegistryEvents.RegisteredModelRenamed] = new("registered_model", "renamed"),
        [RegistryEvents.RegisteredModelUpdated] = new("registered_model", "updated"),
        [RegistryEvents.RegisteredModelDeleted] = new("registered_model", "deleted"),
        [RegistryEvents.RegisteredModelTagSet] = new("registered_model_tag", "set"),
        [RegistryEvents.RegisteredModelTagDeleted] = new("registered_model_tag", "deleted"),
        [RegistryEvents.ModelVersionUpdated] = new("model_version", "updated"),
        [RegistryEvents.ModelVersionDeleted] = new("model_version", "deleted"),
        [RegistryEvents.ModelVersionTransitionedStage] = new("model_version", "transitioned_stage"),
    };

    // Monitoring's alerts are not registry changes: MonitorStore queues their deliveries itself.
    private static readonly HashSet<WebhookEvent> KeelOnly =
        ByRegistryEvent.Values.Where(e => !IsMlflowEvent(e)).Append(new("alert", "opened")).Append(new("alert", "resolved")).ToHashSet();

    /// <summary>The event a change-log row is delivered as; null for a row type this build does not know.</summary>
    public static WebhookEvent? ForRegistryEvent(string eventType) => ByRegistryEvent.TryGetValue(eventType, out var e) ? e : null;

    public static bool IsMlflowEvent(WebhookEvent e) => MlflowActions.TryGetValue(e.Entity, out var actions) && actions.Contains(e.Action);

    /// <summary>Checks a subscription; the message names the valid actions, as MLflow's does.</summary>
    public static WebhookEvent Validate(string? entity, string? action)
    {
        if (string.IsNullOrEmpty(entity) || string.IsNullOrEmpty(action))
        {
            throw KeelException.InvalidParameter("A webhook event needs both 'entity' and 'action'.");
        }

        var e = new WebhookEvent(entity.ToLowerInvariant(), action.ToLowerInvariant());
        if (IsMlflowEvent(e) || KeelOnly.Contains(e))
        {
            return e;
        }

        var valid = (MlflowActions.TryGetValue(e.Entity, out var actions) ? actions : [])
            .Concat(KeelOnly.Where(k => k.Entity == e.Entity).Select(k => k.Action))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (valid.Count == 0)
        {
            throw KeelException.InvalidParameter(
                $"Invalid webhook entity '{entity}'. Valid entities are: [{string.Join(", ", AllEntities().Select(x => $"'{x}'"))}]");
        }

        throw KeelException.InvalidParameter(
            $"Invalid action '{action}' for entity '{e.Entity}'. Valid actions are: [{string.Join(", ", valid.Select(a => $"'{a}'"))}]");
    }

    private static IEnumerable<string> AllEntities() =>
        MlflowActions.Keys.Concat(KeelOnly.Select(k => k.Entity)).Distinct().Order(StringComparer.Ordinal);

    /// <summary>
    /// What the test endpoint sends: MLflow's example payloads (mlflow/webhooks/types.py) for its events, the same
    /// style for Keel's own; null for an event Keel never emits (prompts, budgets), which MLflow reports as a failure too.
    /// </summary>
    public static object? ExamplePayload(WebhookEvent e) => e.ToString() switch
    {
        "registered_model.created" => new { name = "example_model", tags = new Dictionary<string, string> { ["example_key"] = "example_value" }, description = "An example registered model" },
        "model_version.created" => new
        {
            name = "example_model", version = "1", source = "runs:/abcd1234abcd5678/model", run_id = "abcd1234abcd5678",
            tags = new Dictionary<string, string> { ["example_key"] = "example_value" }, description = "An example model version",
        },
        "model_version_tag.set" => new { name = "example_model", version = "1", key = "example_key", value = "example_value" },
        "model_version_tag.deleted" => new { name = "example_model", version = "1", key = "example_key" },
        "model_version_alias.created" => new { name = "example_model", alias = "example_alias", version = "1" },
        "model_version_alias.deleted" => new { name = "example_model", alias = "example_alias" },
        "registered_model.renamed" => new { name = "example_model", new_name = "example_model_2" },
        "registered_model.updated" => new { name = "example_model", description = "An example registered model" },
        "registered_model.deleted" => new { name = "example_model", deleted_versions = 1 },
        "registered_model_tag.set" => new { name = "example_model", key = "example_key", value = "example_value" },
        "registered_model_tag.deleted" => new { name = "example_model", key = "example_key" },
        "model_version.updated" => new { name = "example_model", version = "1", description = "An example model version" },
        "model_version.deleted" => new { name = "example_model", version = "1" },
        "alert.opened" or "alert.resolved" => new
        {
            alert_id = 1, monitor = "example_monitor", deployment = "example_deployment", rule = "feature_drift", subject = "example_feature",
            status = e.Action == "opened" ? "OPEN" : "RESOLVED", message = "example_feature: ks p-value 0.001 (p-value <= 0.05)",
        },
        "model_version.transitioned_stage" => new { name = "example_model", version = "1", from_stage = "None", to_stage = "Production" },
        _ => null,
    };
}
