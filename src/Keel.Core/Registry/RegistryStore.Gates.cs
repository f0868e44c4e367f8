using Keel.Core.Gates;
using Keel.Core.Storage;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    /// <summary>
    /// Records a gate check on a version as its three tags in one transaction, so a reader never sees a status without
    /// the run and gate text it came from.
    /// </summary>
    public Task RecordGateAsync(string? name, string? version, GateResult result, string actor, CancellationToken ct = default)
    {
        var (modelName, number) = (RegistryValidation.ModelName(name), RegistryValidation.Version(version));
        var status = Gate.StatusTag(result.Name);
        KeyValue[] tags = [new(status + ".run_id", result.RunId), new(status + ".digest", result.Digest), new(status, result.Status)];
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            var now = Now();
            foreach (var tag in tags)
            {
                UpsertVersionTag(ctx, id, number, tag);
                RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionTagSet, modelName, number,
                    new { name = modelName, version = number.ToString(), key = tag.Key, value = tag.Value });
            }
        }, ct);
    }

    /// <summary>
    /// Refuses to point a protected alias (registered-model tag <c>keel.require_gate.ALIAS = GATE</c>) at a version
    /// whose <c>keel.gate.GATE</c> tag is not <c>passed</c>. Read inside the alias write's transaction, so a gate
    /// result or requirement changed at the same moment cannot slip past.
    /// </summary>
    private static void RequirePassedGate(WriteContext ctx, long modelId, string modelName, string alias, long version)
    {
        if (ctx.Scalar("SELECT value FROM registered_model_tags WHERE model_id = @p0 AND key = @p1", modelId, Gate.RequireTagPrefix + alias) is not string gate)
        {
            return;
        }

        var status = ctx.Scalar("SELECT value FROM model_version_tags WHERE model_id = @p0 AND version = @p1 AND key = @p2",
            modelId, version, Gate.StatusTag(gate)) as string;
        if (status != Gate.PassedValue)
        {
            throw new KeelException(ErrorCodes.InvalidState,
                $"Alias '{alias}' of model '{modelName}' requires gate '{gate}' to have passed on the version, but version {version} has " +
                (status is null ? "no gate result" : $"{Gate.StatusTag(gate)} = {status}") +
                $". Run 'keel gate check --run RUN_ID --gate GATE_FILE --record-on models:/{modelName}/{version}' first.");
        }
    }
}
