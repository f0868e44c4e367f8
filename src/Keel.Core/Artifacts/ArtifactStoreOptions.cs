namespace Keel.Core.Artifacts;

/// <summary>Configuration section "Artifacts": unset, artifacts live under Storage:DataDirectory.</summary>
internal sealed class ArtifactStoreOptions
{
    /// <summary>An S3 location, <c>s3://bucket/prefix</c>; credentials come from the standard AWS environment variables or profile.</summary>
    public string? Root { get; set; }

    /// <summary>The S3-compatible endpoint (e.g. http://127.0.0.1:7480); unset means AWS itself.</summary>
    public string? S3Endpoint { get; set; }

    public string S3Region { get; set; } = "us-east-1";

    public bool IsS3 => !string.IsNullOrEmpty(Root);

    public (string Bucket, string Prefix) S3Location
    {
        get
        {
            var uri = new Uri(Root!);
            return (uri.Host, uri.AbsolutePath.Trim('/'));
        }
    }

    public static string? Validate(ArtifactStoreOptions options) =>
        options.IsS3 && !(Uri.TryCreate(options.Root, UriKind.Absolute, out var uri) && uri.Scheme == "s3" && uri.Host.Length > 0)
            ? $"Artifacts:Root must be an s3://bucket/prefix URI (got '{options.Root}'); leave it unset to keep artifacts under Storage:DataDirectory."
            : null;
}
