using System.Text.Json.Nodes;
using Keel.Core.Models;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    /// <summary>What registration found wrong but accepted (no signature, not an MLmodel package, ...).</summary>
    public const string PackageWarningsTag = "keel.package.warnings";

    /// <summary>The signature read off an ONNX graph when MLmodel has none, as MLflow's signature JSON.</summary>
    public const string InferredSignatureTag = "keel.signature.inferred";

    /// <summary>
    /// Reads the model package a new version points at, when its files are in Keel's artifact store: a broken
    /// package (unreadable MLmodel, missing flavor data, malformed signature, an input example that does not
    /// fit it, an ONNX file ONNX Runtime cannot load) is refused; what is merely missing becomes version tags.
    /// Locations in other stores are registered as they are, as MLflow does.
    /// </summary>
    private async Task<IReadOnlyList<KeyValue>> CheckPackageAsync(string storageLocation, CancellationToken ct)
    {
        if (ArtifactUris.ProxyPath(storageLocation) is not { } path)
        {
            return [];
        }

        var package = new ModelPackageReader(artifacts, path);
        if (await package.FindAsync(MLmodel.FileName, ct) is not { IsDir: false })
        {
            return [new(PackageWarningsTag, $"No {MLmodel.FileName} at {storageLocation}: the version is registered as plain files, with no flavor or signature.")];
        }

        var report = await ModelPackageValidator.ValidateAsync(package, ct);
        if (!report.IsValid)
        {
            throw KeelException.InvalidParameter($"The model package at {storageLocation} cannot be registered: {string.Join(" ", report.Errors)}");
        }

        var tags = new List<KeyValue>();
        if (report.Warnings.Count > 0)
        {
            tags.Add(new(PackageWarningsTag, Truncate(string.Join(" ", report.Warnings))));
        }

        if (report is { SignatureInferred: true, Signature: { } signature })
        {
            var json = new JsonObject { ["inputs"] = signature.Inputs.ToJson(), ["outputs"] = signature.Outputs?.ToJson() }.ToJsonString();
            // A tag holds 5,000 characters; a signature too wide for one stays in the graph, where it came from.
            if (json.Length <= Validation.MaxTagValueLength)
            {
                tags.Add(new(InferredSignatureTag, json));
            }
        }

        return tags;
    }

    private static string Truncate(string value) =>
        value.Length <= Validation.MaxTagValueLength ? value : value[..(Validation.MaxTagValueLength - 1)] + "…";
}
