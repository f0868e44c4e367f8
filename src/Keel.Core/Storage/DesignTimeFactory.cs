using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Keel.Core.Storage;

// Lets `dotnet ef migrations add` build the model without starting a server.
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KeelDbContext>
{
    public KeelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite("Data Source=design.db").Options);
}
