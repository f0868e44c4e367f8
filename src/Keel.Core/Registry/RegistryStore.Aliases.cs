using Keel.Core.Deployments;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    /// <summary>
    /// Points an alias at a version, creating or moving it. One upsert on the (model, alias) key inside the
    /// transaction that checked the version, so concurrent movers serialise and the last commit wins whole.
    /// </summary>
    public Task SetAliasAsync(string? name, string? alias, string? version, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        var aliasName = RegistryValidation.Alias(alias);
        var number = RegistryValidation.Version(version);
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            RequireVersion(ctx, id, modelName, number);
            RequirePassedGate(ctx, id, modelName, aliasName, number);
            var previous = ctx.Scalar("SELECT version FROM registered_model_aliases WHERE model_id = @p0 AND alias = @p1", id, aliasName) as long?;
            ctx.Execute(
                "INSERT INTO registered_model_aliases(model_id, alias, version) VALUES (@p0, @p1, @p2) " +
                "ON CONFLICT(model_id, alias) DO UPDATE SET version = excluded.version", id, aliasName, number);
            var now = Now();
            RegistryEvents.Append(ctx, now, actor, RegistryEvents.ModelVersionAliasCreated, modelName, number,
                new { name = modelName, alias = aliasName, version = number.ToString(), previous_version = previous?.ToString() });
            if (previous != number)
            {
                DeploymentStore.FollowAliasMove(ctx, modelName, aliasName, number, actor, now);
            }
        }, ct);
    }

    /// <summary>Deleting an alias that does not exist is not an error, as in MLflow's SQL store; the model must exist.</summary>
    public Task DeleteAliasAsync(string? name, string? alias, string actor, CancellationToken ct = default)
    {
        var modelName = RegistryValidation.ModelName(name);
        var aliasName = RegistryValidation.Alias(alias);
        return writes.ExecuteAsync(ctx =>
        {
            var id = RequireModelId(ctx, modelName);
            var version = ctx.Scalar("SELECT version FROM registered_model_aliases WHERE model_id = @p0 AND alias = @p1", id, aliasName) as long?;
            if (version is not null)
            {
                ctx.Execute("DELETE FROM registered_model_aliases WHERE model_id = @p0 AND alias = @p1", id, aliasName);
                RegistryEvents.Append(ctx, Now(), actor, RegistryEvents.ModelVersionAliasDeleted, modelName, version,
                    new { name = modelName, alias = aliasName, version = version.Value.ToString() });
            }
        }, ct);
    }
}
