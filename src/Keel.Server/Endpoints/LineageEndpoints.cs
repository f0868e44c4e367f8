using Keel.Core.Auth;
using Keel.Core;
using Keel.Core.Registry;
using Microsoft.Net.Http.Headers;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's lineage and model-card routes: where a model version came from, and what a reader needs to know
/// before using it. Keel routes, so errors are ProblemDetails with an errorCode.
/// </summary>
internal static class LineageEndpoints
{
    private const string MarkdownType = "text/markdown";

    public static IEndpointRouteBuilder MapLineageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/keel/v1/lineage/models/{name}/versions/{version}", GetLineageAsync).WithTags("Lineage").RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        app.MapGet("/api/keel/v1/models/{name}/versions/{version}/card", GetCardAsync).WithTags("Lineage").RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        return app;
    }

    private static async Task<IResult> GetLineageAsync(string name, string version, ModelLineageReader lineage, CancellationToken ct) =>
        Results.Json((await lineage.GetLineageAsync(name, version, ct)).ToMessage(), LineageMessageMapping.Json);

    /// <summary>JSON by default; Markdown for <c>?format=markdown</c> or an Accept header that asks for text/markdown.</summary>
    private static async Task<IResult> GetCardAsync(string name, string version, HttpRequest request, ModelLineageReader lineage, CancellationToken ct)
    {
        var markdown = WantsMarkdown(request);
        var card = await lineage.GetCardAsync(name, version, ct);
        return markdown
            ? Results.Text(ModelCardMarkdown.Render(card), MarkdownType + "; charset=utf-8")
            : Results.Json(card.ToMessage(), LineageMessageMapping.Json);
    }

    private static bool WantsMarkdown(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        if (format.Length > 0)
        {
            return format.ToLowerInvariant() switch
            {
                "markdown" or "md" => true,
                "json" => false,
                _ => throw KeelException.InvalidParameter($"Unknown card format '{format}'; use 'json' or 'markdown'."),
            };
        }

        // Only a preference for Markdown over JSON switches; a tie, "*/*" or no header means JSON.
        var accepted = request.GetTypedHeaders().Accept;
        var markdown = accepted.Where(a => a.MediaType.Equals(MarkdownType, StringComparison.OrdinalIgnoreCase)).Select(Quality).DefaultIfEmpty(-1).Max();
        var json = accepted.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(Quality).DefaultIfEmpty(-1).Max();
        return markdown > 0 && markdown > json;
    }

    private static double Quality(MediaTypeHeaderValue value) => value.Quality ?? 1.0;
}
