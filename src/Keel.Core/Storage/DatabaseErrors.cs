using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Keel.Core.Storage;

/// <summary>Recognises database errors that mean something to the protocol, in one place per dialect.</summary>
internal static class DatabaseErrors
{
    // SQLITE_CONSTRAINT (19) covers UNIQUE and PRIMARY KEY; the extended codes 2067/1555 would be more precise,
    // but Microsoft.Data.Sqlite reports the primary code. PostgreSQL's is SQLSTATE 23505.
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        DbException { SqlState: "23505" } => true,
        _ => false,
    };
}
