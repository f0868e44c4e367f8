using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Registry;
using Keel.Core.Storage;

namespace Keel.Core.Deployments;

/// <summary>
/// Deployments and their append-only revision history. Every change (create, update, rollback) appends a revision in the
/// same transaction that bumps the deployment's counter, so concurrent writers on any replica get distinct numbers.
/// </summary>
internal sealed class DeploymentStore(Database database, WriteQueue writes)
{
    private const int MaxName = 256;

    private static readonly JsonSerializerOptions SpecJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private const string RevisionColumns = "deployment, revision, spec, actor, time, status, message, cause, model_version, canary_version, shadow_version";

    public async Task<Deployment> CreateAsync(string? name, DeploymentSpec spec, string actor, CancellationToken ct = default)
    {
        var deployment = ValidName(name);
        Validate(spec);
        try
        {
            await writes.ExecuteAsync(ctx =>
            {
                var now = Now();
                ctx.Execute("INSERT INTO deployments(name, creation_time, latest_revision) VALUES (@p0, @p1, 1)", deployment, now);
                AppendRevision(ctx, deployment, 1, spec, actor, now, "created");
            }, ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw KeelException.Conflict($"Deployment '{deployment}' already exists.");
        }

        return await GetAsync(deployment, ct);
    }

    /// <summary>Appends a revision whose spec is the latest one changed by <paramref name="change"/>.</summary>
    public async Task<Deployment> UpdateAsync(string name, Func<DeploymentSpec, DeploymentSpec> change, string cause, string actor, CancellationToken ct = default)
    {
        await writes.ExecuteAsync(ctx =>
        {
            var latest = Bump(ctx, name);
            var spec = change(ReadRevision(ctx, name, latest - 1).Spec);
            Validate(spec);
            AppendRevision(ctx, name, latest, spec, actor, Now(), cause);
        }, ct);
        return await GetAsync(name, ct);
    }

    /// <summary>
    /// Appends a revision serving what revision <paramref name="to"/> served (by default the one before the latest):
    /// its spec with every alias, stage or latest URI pinned to the version it resolved to then. A rollback means
    /// "serve exactly those versions again", so a deployment that followed an alias stops following it until its
    /// model is set to the alias again; otherwise the alias, still pointing at the new version, would undo it.
    /// </summary>
    public async Task<Deployment> RollbackAsync(string name, long? to, string actor, CancellationToken ct = default)
    {
        await writes.ExecuteAsync(ctx =>
        {
            var latest = Bump(ctx, name);
            var target = to ?? latest - 2;
            if (target < 1 || target >= latest)
            {
                throw to is null
                    ? KeelException.InvalidParameter($"Deployment '{name}' has only one revision; there is nothing to roll back to.")
                    : KeelException.InvalidParameter($"Revision {to} of deployment '{name}' does not exist (revisions are 1 to {latest - 1}).");
            }

            var (spec, versions) = ReadRevision(ctx, name, target);
            AppendRevision(ctx, name, latest, Pin(spec, versions), actor, Now(), $"rolled back to revision {target}");
        }, ct);
        return await GetAsync(name, ct);
    }

    /// <summary>
    /// Appends a revision to every deployment whose latest revision follows <c>models:/model@alias</c>, resolving it to
    /// the alias's new version. Runs inside the registry's alias write, in its transaction: the move and the revisions
    /// commit together, once, whichever replica took the request.
    /// </summary>
    public static void FollowAliasMove(WriteContext ctx, string model, string alias, long version, string actor, long now)
    {
        var following = new List<(string Name, DeploymentSpec Spec)>();
        using (var reader = ctx.Query(
            "SELECT d.name, r.spec FROM deployments d JOIN deployment_revisions r ON r.deployment = d.name AND r.revision = d.latest_revision"))
        {
            while (reader.Read())
            {
                var spec = ParseSpec(reader.GetString(1));
                if (new[] { spec.Model, spec.Canary?.Model, spec.Shadow }.Any(uri => uri is not null && ModelUri.Parse(uri) is ModelUri.ModelAlias a && a.Name == model && a.Alias == alias))
                {
                    following.Add((reader.GetString(0), spec));
                }
            }
        }

        foreach (var (name, spec) in following)
        {
            AppendRevision(ctx, name, Bump(ctx, name), spec, actor, now, $"alias {alias} of {model} moved to version {version}");
        }
    }

    /// <summary>
    /// Deletes the deployment and its revisions; hosts following it stop serving it (the prediction log keeps its rows,
    /// which name it).
    /// </summary>
    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        var deleted = await writes.ExecuteAsync(ctx =>
        {
            ctx.Execute("DELETE FROM deployment_revisions WHERE deployment = @p0", name);
            return ctx.Execute("DELETE FROM deployments WHERE name = @p0", name);
        }, ct);
        if (deleted == 0)
        {
            throw NotFound(name);
        }
    }

    /// <summary>What a serving host reports about a revision: LIVE once it answers with it, FAILED when it could not load it.</summary>
    public async Task<DeploymentRevision> SetStatusAsync(string name, long revision, string? status, string? message, CancellationToken ct = default)
    {
        if (status is null || !RevisionStatus.All.Contains(status))
        {
            throw KeelException.InvalidParameter($"status must be one of {string.Join(", ", RevisionStatus.All)}, but got '{status}'.");
        }

        var changed = await writes.ExecuteAsync(ctx => ctx.Execute(
            "UPDATE deployment_revisions SET status = @p0, message = @p1 WHERE deployment = @p2 AND revision = @p3",
            status, message, name, revision), ct);
        if (changed == 0)
        {
            throw RevisionNotFound(name, revision);
        }

        return (await RevisionsAsync(name, ct)).First(r => r.Revision == revision);
    }

    public async Task<Deployment> GetAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.name, d.creation_time, " + string.Join(", ", RevisionColumns.Split(", ").Select(c => "r." + c)) +
            " FROM deployments d JOIN deployment_revisions r ON r.deployment = d.name AND r.revision = d.latest_revision WHERE d.name = @p0";
        command.AddParameter("@p0", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Deployment(reader.GetString(0), reader.GetInt64(1), ReadRevision(reader, 2))
            : throw NotFound(name);
    }

    public async Task<IReadOnlyList<Deployment>> ListAsync(Auth.ReadScope? scope = null, CancellationToken ct = default)
    {
        var visible = scope is null ? "" : " WHERE " + scope.Condition(Auth.ResourceKind.Deployment, "d.name");
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.name, d.creation_time, " + string.Join(", ", RevisionColumns.Split(", ").Select(c => "r." + c)) +
            " FROM deployments d JOIN deployment_revisions r ON r.deployment = d.name AND r.revision = d.latest_revision" + visible + " ORDER BY d.name";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<Deployment>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(new Deployment(reader.GetString(0), reader.GetInt64(1), ReadRevision(reader, 2)));
        }

        return items;
    }

    /// <summary>The deployment's revisions, newest first.</summary>
    public async Task<IReadOnlyList<DeploymentRevision>> RevisionsAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RevisionColumns} FROM deployment_revisions WHERE deployment = @p0 ORDER BY revision DESC";
        command.AddParameter("@p0", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<DeploymentRevision>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(ReadRevision(reader, 0));
        }

        return items.Count > 0 ? items : throw NotFound(name);
    }

    /// <summary>A serving target must name a registered model; runs:/ and artifact paths have no version to report.</summary>
    public static void Validate(DeploymentSpec spec)
    {
        ValidModelUri(spec.Model, "model");
        if (spec.Canary is { } canary)
        {
            ValidModelUri(canary.Model, "canary.model");
            if (canary.Percent is < 0 or > 100)
            {
                throw KeelException.InvalidParameter($"canary.percent must be between 0 and 100, but got {canary.Percent}.");
            }
        }

        if (spec.Shadow is not null)
        {
            ValidModelUri(spec.Shadow, "shadow");
        }
    }

    private static void ValidModelUri(string? uri, string field)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw KeelException.InvalidParameter($"{field} is required (a models:/ URI such as models:/name@alias).");
        }

        if (!ModelUri.IsModelsUri(uri) || ModelUri.Parse(uri) is not (ModelUri.ModelVersion or ModelUri.ModelAlias or ModelUri.ModelStage))
        {
            throw KeelException.InvalidParameter($"{field} must be a models:/ URI such as models:/name@alias, but got '{uri}'.");
        }
    }

    private static string ValidName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxName || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw KeelException.InvalidParameter(
                $"A deployment name is 1 to {MaxName} letters, digits, '-', '_' or '.', but got '{name}'.");
        }

        return name;
    }

    private static long Bump(WriteContext ctx, string name) =>
        ctx.Scalar("UPDATE deployments SET latest_revision = latest_revision + 1 WHERE name = @p0 RETURNING latest_revision", name) is long n
            ? n
            : throw NotFound(name);

    private static (DeploymentSpec Spec, ResolvedVersions Versions) ReadRevision(WriteContext ctx, string name, long revision)
    {
        using var reader = ctx.Query(
            "SELECT spec, model_version, canary_version, shadow_version FROM deployment_revisions WHERE deployment = @p0 AND revision = @p1", name, revision);
        return reader.Read()
            ? (ParseSpec(reader.GetString(0)), new ResolvedVersions(reader.GetNullableInt64(1), reader.GetNullableInt64(2), reader.GetNullableInt64(3)))
            : throw RevisionNotFound(name, revision);
    }

    private static void AppendRevision(WriteContext ctx, string name, long revision, DeploymentSpec spec, string actor, long now, string cause) =>
        ctx.Execute($"INSERT INTO deployment_revisions({RevisionColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, NULL, @p6, @p7, @p8, @p9)",
            name, revision, JsonSerializer.Serialize(spec, SpecJson), actor, now, RevisionStatus.Pending, cause,
            Resolve(ctx, spec.Model), spec.Canary is { } canary ? Resolve(ctx, canary.Model) : null, spec.Shadow is { } shadow ? Resolve(ctx, shadow) : null);

    /// <summary>The version a models:/ URI names now, read in the writing transaction; null when it names none.</summary>
    private static long? Resolve(WriteContext ctx, string uri) => ModelUri.Parse(uri) switch
    {
        ModelUri.ModelVersion v => v.Version,
        ModelUri.ModelAlias a => ctx.Scalar(
            "SELECT a.version FROM registered_model_aliases a JOIN registered_models m ON m.model_id = a.model_id WHERE m.name = @p0 AND a.alias = @p1",
            a.Name, a.Alias) as long?,
        ModelUri.ModelStage { Stage: null } latest => ctx.Scalar(
            "SELECT MAX(v.version) FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id WHERE m.name = @p0", latest.Name) as long?,
        ModelUri.ModelStage stage => ctx.Scalar(
            "SELECT MAX(v.version) FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id WHERE m.name = @p0 AND v.current_stage = @p1",
            stage.Name, stage.Stage) as long?,
        _ => null,
    };

    private static DeploymentSpec Pin(DeploymentSpec spec, ResolvedVersions versions) => new(
        Pin(spec.Model, versions.Model),
        spec.Canary is { } canary ? canary with { Model = Pin(canary.Model, versions.Canary) } : null,
        spec.Shadow is { } shadow ? Pin(shadow, versions.Shadow) : null);

    private static string Pin(string uri, long? version) => (ModelUri.Parse(uri), version) switch
    {
        (ModelUri.ModelAlias a, { } v) => $"{ModelUri.ModelsScheme}{a.Name}/{v}",
        (ModelUri.ModelStage s, { } v) => $"{ModelUri.ModelsScheme}{s.Name}/{v}",
        _ => uri,
    };

    private static DeploymentRevision ReadRevision(DbDataReader reader, int at) => new(
        reader.GetString(at), reader.GetInt64(at + 1), ParseSpec(reader.GetString(at + 2)), reader.GetString(at + 3),
        reader.GetInt64(at + 4), reader.GetString(at + 5), reader.GetNullableString(at + 6), reader.GetNullableString(at + 7),
        new ResolvedVersions(reader.GetNullableInt64(at + 8), reader.GetNullableInt64(at + 9), reader.GetNullableInt64(at + 10)));

    private static DeploymentSpec ParseSpec(string json) => JsonSerializer.Deserialize<DeploymentSpec>(json, SpecJson)!;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static KeelException NotFound(string name) => KeelException.NotFound($"Deployment '{name}' does not exist.");

    private static KeelException RevisionNotFound(string name, long revision) =>
        KeelException.NotFound($"Revision {revision} of deployment '{name}' does not exist.");
}
