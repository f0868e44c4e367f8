namespace Keel.Core.Auth;

/// <summary>The "Auth" configuration section. Off by default: every request then acts as its X-Keel-User header says.</summary>
public sealed class AuthOptions
{
    public const string BootstrapPasswordVariable = "KEEL_BOOTSTRAP_ADMIN_PASSWORD";

    public bool Enabled { get; set; }

    /// <summary>An admin to create at startup if no user of that name exists; the password comes from <see cref="BootstrapPasswordVariable"/>.</summary>
    public string? BootstrapAdmin { get; set; }

    /// <summary>The bootstrap admin's password; unset means the <see cref="BootstrapPasswordVariable"/> environment variable.</summary>
    public string? BootstrapPassword { get; set; }

    /// <summary>How long a verified Basic credential is trusted without hashing the password again.</summary>
    public TimeSpan CredentialCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
