using Keel.Core.Artifacts;
using Keel.Core.Storage;

namespace Keel.Server.Endpoints;

internal static class HealthEndpoints
{
    public static string Version { get; } =
        typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Plain text, as MLflow's server answers these.
        app.MapGet("/health", CheckAsync).WithTags("Health").AllowAnonymous();

        // Liveness, separate from readiness on purpose: it answers from the process alone and never
        // touches the database or the artifact store. An orchestrator restarts a container whose liveness
        // fails, so if this followed the dependencies, a database outage would restart-loop every replica
        // instead of just taking them out of the load balancer (which /health does) until it comes back.
        app.MapGet("/health/live", () => Results.Text("ok")).WithTags("Health").AllowAnonymous();
        app.MapGet("/version", () => Results.Text(Version)).WithTags("Health").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Healthy only when the metadata store answers a query and the artifact store answers a listing,
    /// so a load balancer never routes to a server that cannot do its work.
    /// </summary>
    private static async Task<IResult> CheckAsync(Database database, IArtifactStore artifacts, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenReadAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Results.Text($"Metadata store unavailable: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            await artifacts.CheckAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Results.Text($"Artifact store unavailable: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Text("OK");
    }
}
