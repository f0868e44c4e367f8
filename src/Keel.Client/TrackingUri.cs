namespace Keel.Client;

/// <summary>
/// Finds the tracking server to talk to, by the same rule as MLflow's clients.
/// </summary>
public static class TrackingUri
{
    /// <summary>The environment variable MLflow's clients read the tracking URI from.</summary>
    public const string EnvironmentVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The address used when neither an explicit URI nor <see cref="EnvironmentVariable"/> is given.</summary>
    public const string Default = "http://127.0.0.1:5000";

    /// <summary>
    /// Returns <paramref name="explicitUri"/> when it is set, else the value of
    /// <c>MLFLOW_TRACKING_URI</c> when that is set, else <see cref="Default"/>.
    /// </summary>
    /// <param name="explicitUri">A URI the caller chose, such as a <c>--tracking-uri</c> option; null or blank means "not given".</param>
    /// <returns>The tracking URI, trimmed of surrounding whitespace.</returns>
    public static string Resolve(string? explicitUri) => Resolve(explicitUri, Environment.GetEnvironmentVariable);

    internal static string Resolve(string? explicitUri, Func<string, string?> getEnvironmentVariable)
    {
        if (!string.IsNullOrWhiteSpace(explicitUri))
        {
            return explicitUri.Trim();
        }

        var fromEnvironment = getEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? Default : fromEnvironment.Trim();
    }

    // Relative request paths only append to a base address that ends in '/': without it,
    // "http://host/mlflow" + "api/2.0/..." would drop the "mlflow" segment.
    internal static Uri ToBaseAddress(string trackingUri)
    {
        if (!Uri.TryCreate(trackingUri, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"Tracking URI '{trackingUri}' is not an http:// or https:// URL; Keel's client talks to a tracking server over HTTP.",
                nameof(trackingUri));
        }

        return ToBaseAddress(uri);
    }

    internal static Uri ToBaseAddress(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/" + uri.Query);
}
