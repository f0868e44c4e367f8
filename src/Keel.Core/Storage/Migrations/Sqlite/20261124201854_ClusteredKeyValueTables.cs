using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Hand-written: rebuilds the key/value tables WITHOUT ROWID. Run search probes them by
    /// (run_key, key) once per candidate run; clustered on that key a probe is one B-tree descent
    /// and the value sits in the same page, instead of an index seek followed by a table seek.
    /// The EF model is unchanged, so this migration has no model diff of its own.
    /// </summary>
    public partial class ClusteredKeyValueTables : Migration
    {
        private static readonly (string Table, string Columns, string Key)[] Tables =
        [
            ("experiment_tags", "\"experiment_id\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"value\" TEXT NOT NULL", "\"experiment_id\", \"key\""),
            ("params", "\"run_key\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"value\" TEXT NOT NULL", "\"run_key\", \"key\""),
            ("tags", "\"run_key\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"value\" TEXT NOT NULL", "\"run_key\", \"key\""),
            ("latest_metrics", "\"run_key\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"value\" REAL NOT NULL, \"timestamp\" INTEGER NOT NULL, \"step\" INTEGER NOT NULL, \"is_nan\" INTEGER NOT NULL", "\"run_key\", \"key\""),
            ("inputs", "\"run_key\" INTEGER NOT NULL, \"dataset_id\" INTEGER NOT NULL", "\"run_key\", \"dataset_id\""),
            ("input_tags", "\"run_key\" INTEGER NOT NULL, \"dataset_id\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"value\" TEXT NOT NULL", "\"run_key\", \"dataset_id\", \"key\""),
        ];

        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, " WITHOUT ROWID");

        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "");

        private static void Rebuild(MigrationBuilder migrationBuilder, string tableOption)
        {
            foreach (var (table, columns, key) in Tables)
            {
                migrationBuilder.Sql($"CREATE TABLE \"{table}_rebuilt\" ({columns}, CONSTRAINT \"PK_{table}\" PRIMARY KEY ({key})){tableOption};");
                var names = string.Join(", ", columns.Split(", ").Select(c => c[..(c.IndexOf('"', 1) + 1)]));
                migrationBuilder.Sql($"INSERT INTO \"{table}_rebuilt\" ({names}) SELECT {names} FROM \"{table}\";");
                migrationBuilder.Sql($"DROP TABLE \"{table}\";");
                migrationBuilder.Sql($"ALTER TABLE \"{table}_rebuilt\" RENAME TO \"{table}\";");
            }

            migrationBuilder.Sql("CREATE INDEX \"IX_latest_metrics_key_value\" ON \"latest_metrics\" (\"key\", \"value\");");
        }
    }
}
