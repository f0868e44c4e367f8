namespace Keel.Testing;

/// <summary>A real Keel server on PostgreSQL (a fresh database of its own) with local artifacts.</summary>
public class PostgresKeelServerFixture : KeelServerFixture
{
    private PostgresTestDatabase? _database;

    public PostgresTestDatabase Database => _database ?? throw new InvalidOperationException("The fixture has not started.");

    protected override IEnumerable<string> ExtraArguments => [.. Settings, "--Storage:Database", Database.ConnectionString];

    /// <summary>Server settings a derived fixture adds, the same ones its SQLite twin passes.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public override async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
