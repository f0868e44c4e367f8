using Keel.Core.Auth;

namespace Keel.Server;

/// <summary>
/// Who a request acts for, as recorded in audit trails such as the registry's change log: the authenticated user when
/// authentication is on, else whoever the X-Keel-User header names.
/// </summary>
internal static class RequestUser
{
    public const string Header = "X-Keel-User";
    public const string Anonymous = "anonymous";

    public static string Of(HttpContext http) =>
        Authenticated(http)?.Name
        ?? (http.Request.Headers[Header].ToString() is { Length: > 0 } user ? user.Trim() : Anonymous);

    public static User? Authenticated(HttpContext http) => http.Items[typeof(User)] as User;

    public static void Set(HttpContext http, User user)
    {
        http.Items[typeof(User)] = user;
        // A client must not name someone else once the server knows who it is.
        http.Request.Headers.Remove(Header);
    }
}
