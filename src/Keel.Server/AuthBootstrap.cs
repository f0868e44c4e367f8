using Keel.Core;
using Keel.Core.Auth;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// Creates Auth:BootstrapAdmin at startup (after the schema exists) so a fresh auth-on server has someone who can log
/// in. Idempotent: an existing user of that name, and its password, are left as they are.
/// </summary>
internal sealed class AuthBootstrap(IOptions<AuthOptions> options, AuthStore store, ILogger<AuthBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value;
        if (auth.BootstrapAdmin is not { } admin)
        {
            return;
        }

        if (string.IsNullOrEmpty(auth.BootstrapPassword))
        {
            throw new InvalidOperationException(
                $"--bootstrap-admin needs a password in {AuthOptions.BootstrapPasswordVariable}; Keel has no default password.");
        }

        if (Passwords.Weakness(auth.BootstrapPassword) is { } weakness)
        {
            throw new InvalidOperationException($"{AuthOptions.BootstrapPasswordVariable} is refused: {weakness}");
        }

        try
        {
            if (await store.EnsureUserAsync(admin, auth.BootstrapPassword, isAdmin: true, cancellationToken))
            {
                logger.LogInformation("Created the bootstrap admin {User}", admin);
            }
        }
        catch (KeelException e)
        {
            throw new InvalidOperationException($"--bootstrap-admin is refused: {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
