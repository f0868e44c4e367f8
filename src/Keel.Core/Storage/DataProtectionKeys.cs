using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Storage;

/// <summary>
/// The server's ASP.NET Core Data Protection key ring (what signs the web UI's antiforgery tokens), kept in the
/// database so every replica sharing it accepts a form another replica rendered. The host reads and writes the rows.
/// </summary>
internal sealed class DataProtectionKeyRow
{
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
}

internal static class DataProtectionKeyModel
{
    public const string Table = "data_protection_keys";

    public static void Configure(ModelBuilder model) =>
        model.Entity<DataProtectionKeyRow>(e => e.ToTable(Table).HasKey(x => x.FriendlyName));
}
