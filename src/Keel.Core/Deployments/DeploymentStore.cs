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

    private const string RevisionColumns = "deployment, revision, spec, actor, time, status, message";

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
                AppendRevision(ctx, deployment, 1, spec, actor, now);
            }, ct);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            throw KeelException.Conflict($"Deployment '{deployment}' already exists.");
        }

        return await GetAsync(deployment, ct);
    }

    /// <summary>Appends a revision whose spec is the latest one changed by <paramref name="change"/>.</summary>
    public async Task<Deployment> UpdateAsync(string name, Func<DeploymentSpec, DeploymentSpec> change, string actor, CancellationToken ct = default)
    {
        await writes.ExecuteAsync(ctx =>
        {
            var latest = Bump(ctx, name);
            var spec = change(ReadRevision(ctx, name, latest - 1));
            Validate(spec);
            AppendRevision(ctx, name, latest, spec, actor, Now());
        }, ct);
        return await GetAsync(name, ct);
    }

    /// <summary>Appends a revision copying revision <paramref name="to"/>'s spec; by default the one before the latest.</summary>
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

            AppendRevision(ctx, name, latest, ReadRevision(ctx, name, target), actor, Now());
        }, ct);
        return await GetAsync(name, ct);
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

    public async Task<IReadOnlyList<Deployment>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenReadAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.name, d.creation_time, " + string.Join(", ", RevisionColumns.Split(", ").Select(c => "r." + c)) +
            " FROM deployments d JOIN deployment_revisions r ON r.deployment = d.name AND r.revision = d.latest_revision ORDER BY d.name";
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

    private static DeploymentSpec ReadRevision(WriteContext ctx, string name, long revision)
    {
        var spec = ctx.Scalar("SELECT spec FROM deployment_revisions WHERE deployment = @p0 AND revision = @p1", name, revision) as string
            ?? throw RevisionNotFound(name, revision);
        return ParseSpec(spec);
    }

    private static void AppendRevision(WriteContext ctx, string name, long revision, DeploymentSpec spec, string actor, long now) =>
        ctx.Execute($"INSERT INTO deployment_revisions({RevisionColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, NULL)",
            name, revision, JsonSerializer.Serialize(spec, SpecJson), actor, now, RevisionStatus.Pending);

    private static DeploymentRevision ReadRevision(DbDataReader reader, int at) => new(
        reader.GetString(at), reader.GetInt64(at + 1), ParseSpec(reader.GetString(at + 2)), reader.GetString(at + 3),
        reader.GetInt64(at + 4), reader.GetString(at + 5), reader.GetNullableString(at + 6));

    private static DeploymentSpec ParseSpec(string json) => JsonSerializer.Deserialize<DeploymentSpec>(json, SpecJson)!;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static KeelException NotFound(string name) => KeelException.NotFound($"Deployment '{name}' does not exist.");

    private static KeelException RevisionNotFound(string name, long revision) =>
        KeelException.NotFound($"Revision {revision} of deployment '{name}' does not exist.");
}
