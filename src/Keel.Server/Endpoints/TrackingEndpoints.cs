using System.Globalization;
using Keel.Core.Auth;
using Keel.Core.Tracking;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

/// <summary>MLflow's tracking service (service.proto): experiments, runs, metrics and run artifacts.</summary>
internal static partial class TrackingEndpoints
{
    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in MlflowRoutes.TrackingPrefixes)
        {
            var api = app.MapGroup(prefix).WithTags("Tracking");
            MapExperiments(api.MapGroup("/experiments"));
            MapRuns(api.MapGroup("/runs"));
            MapMetrics(api.MapGroup("/metrics"));
            api.MapGet("/artifacts/list", ListRunArtifactsAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        }

        return app;
    }

    private static void MapExperiments(RouteGroupBuilder group)
    {
        group.MapPost("/create", CreateExperimentAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("/get", GetExperimentAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        group.MapGet("/get-by-name", GetExperimentByNameAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.Experiment);
        // Searches and lists need only a signed-in user: they return only what the caller may read, filtered in SQL.
        group.MapPost("/search", SearchExperimentsPostAsync).RequireSignedIn();
        group.MapGet("/search", SearchExperimentsGetAsync).RequireSignedIn();
        group.MapGet("/list", ListExperimentsAsync).RequireSignedIn();
        group.MapPost("/update", UpdateExperimentAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/delete", DeleteExperimentAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Manage, Locate.Experiment);
        group.MapPost("/restore", RestoreExperimentAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Manage, Locate.Experiment);
        group.MapPost("/set-experiment-tag", SetExperimentTagAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
        group.MapPost("/delete-experiment-tag", DeleteExperimentTagAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.Experiment);
    }

    private static readonly object Empty = new();

    private static IResult Json(object value) => Results.Json(value, MlflowJson.Options);

    private static async Task<IResult> CreateExperimentAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<CreateExperimentRequest>(request, ct);
        var id = await store.CreateExperimentAsync(Require(body.Name, "name"), body.ArtifactLocation, body.Tags.ToKeyValues("tags"), ct);
        await Authorisation.GrantCreatorAsync(request.HttpContext, ResourceKind.Experiment, id.ToString(CultureInfo.InvariantCulture), ct);
        return Json(new { experiment_id = id.ToString() });
    }

    private static async Task<IResult> GetExperimentAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<ExperimentIdRequest>(request);
        var experiment = await store.GetExperimentAsync(Require(query.ExperimentId, "experiment_id"), ct);
        return Json(new { experiment = experiment.ToMessage() });
    }

    private static async Task<IResult> GetExperimentByNameAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<ExperimentIdRequest>(request);
        var experiment = await store.GetExperimentByNameAsync(Require(query.ExperimentName, "experiment_name"), ct);
        return Json(new { experiment = experiment.ToMessage() });
    }

    private static async Task<IResult> UpdateExperimentAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ExperimentIdRequest>(request, ct);
        await store.RenameExperimentAsync(Require(body.ExperimentId, "experiment_id"), Require(body.NewName, "new_name"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteExperimentAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ExperimentIdRequest>(request, ct);
        await store.DeleteExperimentAsync(Require(body.ExperimentId, "experiment_id"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> RestoreExperimentAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ExperimentIdRequest>(request, ct);
        await store.RestoreExperimentAsync(Require(body.ExperimentId, "experiment_id"), ct);
        return Json(Empty);
    }

    private static async Task<IResult> SetExperimentTagAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ExperimentIdRequest>(request, ct);
        await store.SetExperimentTagAsync(Require(body.ExperimentId, "experiment_id"), Require(body.Key, "key"), body.Value ?? "", ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteExperimentTagAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<ExperimentIdRequest>(request, ct);
        await store.DeleteExperimentTagAsync(Require(body.ExperimentId, "experiment_id"), Require(body.Key, "key"), ct);
        return Json(Empty);
    }
}
