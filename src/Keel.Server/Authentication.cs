using System.Security.Cryptography;
using System.Text;
using Keel.Core.Audit;
using Keel.Core.Auth;
using Keel.Server.Endpoints;
using Keel.Server.Mlflow;
using Keel.Server.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// With Auth:Enabled, every request but health checks and the UI's static files must carry a Bearer API token or Basic
/// user:password, as MLflow's clients send them (MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME/PASSWORD).
/// </summary>
internal sealed class Authentication(
    RequestDelegate next, IOptions<AuthOptions> options, AuthStore store, IMemoryCache cache, IProblemDetailsService problems,
    AuditStore audit, TimeProvider clock)
{
    private const string Challenge = "Basic realm=\"keel\", Bearer realm=\"keel\"";

    public static bool IsPublic(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health/live", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/version", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(KeelUi.StaticPath, StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext http)
    {
        if (!options.Value.Enabled || IsPublic(http.Request.Path))
        {
            await next(http);
            return;
        }

        if (await AuthenticateAsync(http, http.Request.Headers.Authorization.ToString(), http.RequestAborted) is not { } user)
        {
            await RejectAsync(http);
            return;
        }

        RequestUser.Set(http, user);
        await next(http);
    }

    private async Task<User?> AuthenticateAsync(HttpContext http, string header, CancellationToken ct)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // A token is checked against the database each time: revoking it takes effect at once, on every replica.
            var token = header["Bearer ".Length..].Trim();
            var owner = await store.CheckTokenAsync(token, ct);
            // Recording every success would turn each read into a write; one per token per cache period is a sign-in.
            var signIn = "audit-bearer:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
            if (owner is null || !cache.TryGetValue(signIn, out _))
            {
                await RecordSignInAsync(http, "Bearer", owner?.Name, owner is not null);
                if (owner is not null && options.Value.CredentialCacheDuration > TimeSpan.Zero)
                {
                    cache.Set(signIn, true, options.Value.CredentialCacheDuration);
                }
            }

            return owner;
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || Decode(header["Basic ".Length..].Trim()) is not { } credentials)
        {
            return null;
        }

        var separator = credentials.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }

        // 600,000 PBKDF2 rounds per request would cap a client at a few requests a second; a verified credential is
        // remembered briefly, keyed by a hash of it so the cache never holds a password.
        var key = "basic:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credentials)));
        if (cache.TryGetValue(key, out User? cached))
        {
            return cached;
        }

        var user = await store.CheckPasswordAsync(credentials[..separator], credentials[(separator + 1)..], ct);
        await RecordSignInAsync(http, "Basic", credentials[..separator], user is not null);
        if (user is not null && options.Value.CredentialCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, user, options.Value.CredentialCacheDuration);
        }

        return user;
    }

    /// <summary>Only attempts that verified credentials: a Basic credential served from the cache is not a new sign-in.</summary>
    private Task<long> RecordSignInAsync(HttpContext http, string scheme, string? user, bool succeeded) =>
        audit.AppendAsync(new AuditRecord(
            clock.GetUtcNow().ToUnixTimeMilliseconds(), user ?? RequestUser.Anonymous, "SIGN-IN " + scheme, user is null ? null : "user/" + user,
            AuditTrail.RequestId(http),
            succeeded ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, null), CancellationToken.None);

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task RejectAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = Challenge;
        const string message = "You are not authenticated. Send an API token (Authorization: Bearer, MLFLOW_TRACKING_TOKEN) " +
            "or a user name and password (Basic, MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD).";
        if (!http.Request.Path.StartsWithSegments(AuthEndpoints.KeelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // MLflow's auth plugin answers 401 with a plain-text sentence, not its JSON error body; its clients expect that.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(message, http.RequestAborted);
            return;
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized, Title = "UNAUTHENTICATED", Detail = message, Extensions = { ["errorCode"] = "UNAUTHENTICATED" },
            },
        });
    }
}
