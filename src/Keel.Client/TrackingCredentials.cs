using System.Net.Http.Headers;
using System.Text;

namespace Keel.Client;

/// <summary>
/// The credentials MLflow's clients send, from the same environment variables: a token (Bearer) wins over a user name
/// and password (Basic), as in MLflow's rest_utils.
/// </summary>
public static class TrackingCredentials
{
    /// <summary>An API token, sent as <c>Authorization: Bearer</c>.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    /// <summary>A user name, sent with <see cref="PasswordVariable"/> as <c>Authorization: Basic</c>.</summary>
    public const string UserVariable = "MLFLOW_TRACKING_USERNAME";
    /// <summary>The password of <see cref="UserVariable"/>.</summary>
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    /// <summary>The Authorization header the environment asks for, or null when it names no credentials.</summary>
    /// <returns>A Bearer or Basic header, or null.</returns>
    public static AuthenticationHeaderValue? FromEnvironment() => From(Environment.GetEnvironmentVariable);

    internal static AuthenticationHeaderValue? From(Func<string, string?> getEnvironmentVariable)
    {
        if (getEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }

        return getEnvironmentVariable(UserVariable) is { Length: > 0 } user && getEnvironmentVariable(PasswordVariable) is { } password
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
            : null;
    }
}
