using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Keel.Core.Storage;

// Let `dotnet ef migrations add` build each provider's model without starting a server or a database.

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KeelDbContext>
{
    public KeelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KeelDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=keel_design").Options);
}
