namespace Keel.Server.Ui;

/// <summary>The top navigation: one entry per feature that has pages; a feature adds its line here.</summary>
internal static class UiNavigation
{
    public static readonly IReadOnlyList<(string Href, string Label)> Items =
    [
        ("/", "Overview"),
        ("/experiments", "Experiments"),
        ("/models", "Models"),
        ("/deployments", "Deployments"),
        ("/monitors", "Monitoring"),
        ("/data", "Data"),
    ];

    public static bool IsCurrent(PathString path, string href) =>
        href == "/" ? path == "/" : path.StartsWithSegments(href, StringComparison.OrdinalIgnoreCase)
            || (href == "/experiments" && (path.StartsWithSegments("/runs") || path.StartsWithSegments("/compare")))
            || (href == "/monitors" && path.StartsWithSegments("/alerts"));
}
