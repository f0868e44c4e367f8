namespace Keel.Server;

/// <summary>
/// Who a request acts for, as recorded in audit trails such as the registry's change log. Until governance
/// brings authentication, the caller names itself with the X-Keel-User header; this is the one place to
/// replace with the authenticated user.
/// </summary>
internal static class RequestUser
{
    public const string Header = "X-Keel-User";
    public const string Anonymous = "anonymous";

    public static string Of(HttpContext http) =>
        http.Request.Headers[Header].ToString() is { Length: > 0 } user ? user.Trim() : Anonymous;
}
