using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keel.Core.Storage;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The metadata database: SQLite embedded by default, PostgreSQL when Storage:Database names one.
/// Stores write portable SQL through <see cref="WriteQueue"/> and read through <see cref="OpenReadAsync"/>;
/// what differs between the two engines is answered here and nowhere else.
/// </summary>
internal abstract class Database
{
    public abstract DatabaseProvider Provider { get; }

    public static Database Create(StorageOptions options) => options.IsPostgres
        ? new PostgresDatabase(Options.Create(options))
        : new SqliteDatabase(Options.Create(options));

    /// <summary>Where the database is, for messages (never with a password).</summary>
    public abstract string Description { get; }

    public abstract Task<DbConnection> OpenReadAsync(CancellationToken ct);

    /// <summary>The connection of the single writer of this process.</summary>
    public abstract DbConnection OpenWriter();

    /// <summary>Starts a write transaction; SQLite takes its write lock up front so commits never meet SQLITE_BUSY.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    public abstract bool IsUniqueViolation(Exception e);

    /// <summary>True for failures that a retry of the whole transaction resolves (PostgreSQL deadlocks between replicas).</summary>
    public abstract bool IsTransient(Exception e);

    /// <summary>SQL for "column is one of the list bound to <paramref name="parameter"/>" (see <see cref="ListValue"/>).</summary>
    public abstract string InList(string parameter);

    /// <summary>The value to bind for an <see cref="InList"/> parameter.</summary>
    public abstract object ListValue(IReadOnlyList<long> values);

    protected abstract KeelDbContext CreateContext();

    /// <summary>Creates or upgrades the schema and returns the migrations it applied; refuses a database written by a newer Keel.</summary>
    public virtual IReadOnlyList<string> Migrate()
    {
        using var db = CreateContext();
        var pending = CheckSchema(db);
        if (pending.Count > 0)
        {
            // Replicas starting together are safe: EF Core takes a database lock around migrating.
            db.Database.Migrate();
        }

        return pending;
    }

    /// <summary>The migrations this Keel would apply; throws when the database has one this Keel does not know.</summary>
    public IReadOnlyList<string> PendingMigrations()
    {
        using var db = CreateContext();
        return CheckSchema(db);
    }

    private List<string> CheckSchema(KeelDbContext db)
    {
        var known = db.Database.GetMigrations().ToList();
        var applied = db.Database.GetAppliedMigrations().ToList();
        var unknown = applied.Where(m => !known.Contains(m, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new SchemaTooNewException(
                $"The database at {Description} has schema version '{unknown[^1]}', newer than this Keel knows. " +
                "Upgrade Keel, or point it at another database.");
        }

        return known.Except(applied, StringComparer.Ordinal).ToList();
    }
}

/// <summary>The database was migrated by a newer Keel; running on it could lose what that version wrote.</summary>
internal sealed class SchemaTooNewException(string message) : InvalidOperationException(message);
