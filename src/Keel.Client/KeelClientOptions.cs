namespace Keel.Client;

/// <summary>Settings for the <see cref="KeelClient"/> registered by <c>AddKeelClient</c>.</summary>
public sealed class KeelClientOptions
{
    /// <summary>
    /// The tracking server's URL. When null, <see cref="Client.TrackingUri.Resolve(string?)"/> picks it:
    /// <c>MLFLOW_TRACKING_URI</c>, else <c>http://127.0.0.1:5000</c>.
    /// </summary>
    public string? TrackingUri { get; set; }

    /// <summary>How long one request may take; null keeps <see cref="HttpClient"/>'s default of 100 seconds.</summary>
    public TimeSpan? Timeout { get; set; }
}
