using System.Xml.Linq;
using Keel.Core.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Keel.Server.Ui;

/// <summary>
/// Data Protection's key storage on Keel's database, so replicas behind one load balancer share one key ring: an
/// antiforgery token rendered by one replica is accepted by another. Keys are stored unencrypted, as the default
/// file-system store keeps them; whoever can read the database can forge form posts, not read data.
/// </summary>
internal sealed class DatabaseKeyRing(IServiceProvider services) : IXmlRepository
{
    // Resolved on first use, not when the host wires Data Protection (MapRazorPages does that while the app is
    // built): a bad database setting must surface when the server starts, where `keel server` reports it in one line.
    private Database Database => services.GetRequiredService<Database>();

    private WriteQueue Writes => services.GetRequiredService<WriteQueue>();

    // Data Protection's interface is synchronous; it calls it rarely (start-up, key creation, roughly daily refresh).
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Database.OpenReadAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var command = connection.Command($"SELECT xml FROM {DataProtectionKeyModel.Table} ORDER BY friendly_name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName) =>
        Writes.ExecuteAsync(ctx => ctx.Execute(
            $"INSERT INTO {DataProtectionKeyModel.Table}(friendly_name, xml) VALUES (@p0, @p1) ON CONFLICT (friendly_name) DO UPDATE SET xml = excluded.xml",
            friendlyName, element.ToString(SaveOptions.DisableFormatting)), CancellationToken.None).GetAwaiter().GetResult();
}
