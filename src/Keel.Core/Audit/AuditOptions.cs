namespace Keel.Core.Audit;

/// <summary>The "Audit" configuration section.</summary>
internal sealed class AuditOptions
{
    public const string KeyVariable = "KEEL_AUDIT_KEY";
    public const string KeyFileName = "audit.key";

    /// <summary>
    /// The HMAC key of the hash chain (Audit:Key, or the KEEL_AUDIT_KEY environment variable), at least 32 characters.
    /// Unset, a random key is generated once into Storage:DataDirectory; replicas sharing one PostgreSQL database must
    /// all be given the same key.
    /// </summary>
    public string? Key { get; set; }
}
