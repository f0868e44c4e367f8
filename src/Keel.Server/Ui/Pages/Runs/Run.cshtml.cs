using Keel.Core;
using Keel.Core.Artifacts;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Runs;

/// <summary>One run: its attributes, params, metrics (latest and a chart each), tags, inputs, artifacts and the model versions it produced.</summary>
internal sealed class RunModel(TrackingStore tracking, RegistryStore registry, IArtifactStore artifacts) : PageModel
{
    public Run Run { get; private set; } = null!;

    public Experiment Experiment { get; private set; } = null!;

    public IReadOnlyList<ModelVersion> ModelVersions { get; private set; } = [];

    /// <summary>The artifact folder listed (relative to the run's artifact root; "" for the root).</summary>
    public string Folder { get; private set; } = "";

    public IReadOnlyList<ArtifactEntry> Artifacts { get; private set; } = [];

    /// <summary>Where the run's artifacts sit in the artifact store, or null when it keeps them somewhere this server does not serve.</summary>
    public string? ArtifactRoot { get; private set; }

    public ArtifactPreview? Preview { get; private set; }

    public string? ArtifactError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? path, string? artifact, CancellationToken ct)
    {
        try
        {
            Run = await tracking.GetRunAsync(id, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        Experiment = await tracking.GetExperimentAsync(Run.Info.ExperimentId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        // Run ids are 32 hex characters (checked by GetRunAsync), so the id cannot break out of the quotes.
        ModelVersions = (await registry.SearchModelVersionsAsync($"run_id = '{Run.Info.RunId}'", 100, null, null, await Authorisation.ScopeAsync(HttpContext, ct), ct)).Items;
        ArtifactRoot = ArtifactUris.ProxyPath(Run.Info.ArtifactUri);
        if (ArtifactRoot is not null)
        {
            try
            {
                Folder = ArtifactPath.Normalize(path);
                Artifacts = await artifacts.ListAsync(Folder.Length == 0 ? ArtifactRoot : ArtifactRoot + "/" + Folder, ArtifactRoot, ct);
                if (!string.IsNullOrEmpty(artifact))
                {
                    Preview = await ArtifactPreview.ReadAsync(artifacts, ArtifactRoot, ArtifactPath.Normalize(artifact), ct);
                }
            }
            catch (Exception e) when (e is KeelException or FileNotFoundException or DirectoryNotFoundException)
            {
                ArtifactError = e.Message;
            }
        }

        return Page();
    }

    /// <summary>The artifact's URL on MLflow's artifact proxy, which serves the bytes (and the images the page shows).</summary>
    public string DownloadUrl(string relative) =>
        $"/api/2.0/mlflow-artifacts/artifacts/{ArtifactRoot}/{string.Join('/', relative.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>A Keel dataset's source (data:/NAME@VERSION) links to its data page.</summary>
    public static string? DataLink(Dataset dataset)
    {
        const string Prefix = "data:/";
        var source = dataset.Source;
        var at = source.LastIndexOf('@');
        return source.StartsWith(Prefix, StringComparison.Ordinal) && at > Prefix.Length
            ? $"/data/{Uri.EscapeDataString(source[Prefix.Length..at])}/versions/{Uri.EscapeDataString(source[(at + 1)..])}"
            : null;
    }
}
