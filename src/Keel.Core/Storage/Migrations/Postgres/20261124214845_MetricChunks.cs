using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <summary>
    /// Moves PostgreSQL's metric history from a row per point to a row per (batch, key) with the points as
    /// parallel arrays (see MetricChunkRow), and puts a <c>metrics</c> view of the old shape in the table's
    /// place, so the SQL that reads history is the same on both engines. The view drops exact repeats of a
    /// point, which the old table's primary key used to refuse. Existing points move into one chunk per
    /// (run, key).
    /// </summary>
    public partial class MetricChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_chunks",
                columns: table => new
                {
                    chunk_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    steps = table.Column<long[]>(type: "bigint[]", nullable: false),
                    timestamps = table.Column<long[]>(type: "bigint[]", nullable: false),
                    values = table.Column<double[]>(type: "double precision[]", nullable: false),
                    nans = table.Column<bool[]>(type: "boolean[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_chunks", x => x.chunk_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_metric_chunks_run_key_key",
                table: "metric_chunks",
                columns: new[] { "run_key", "key" });

            migrationBuilder.Sql(
                "INSERT INTO metric_chunks(run_key, key, steps, timestamps, values, nans) " +
                "SELECT run_key, key, array_agg(step ORDER BY step, timestamp, value), array_agg(timestamp ORDER BY step, timestamp, value), " +
                "array_agg(value ORDER BY step, timestamp, value), array_agg(is_nan ORDER BY step, timestamp, value) " +
                "FROM metrics GROUP BY run_key, key");
            migrationBuilder.DropTable(name: "metrics");
            migrationBuilder.Sql(
                "CREATE VIEW metrics AS SELECT DISTINCT c.run_key, c.key, p.step, p.timestamp, p.value, p.is_nan " +
                "FROM metric_chunks c CROSS JOIN LATERAL unnest(c.steps, c.timestamps, c.values, c.nans) AS p(step, timestamp, value, is_nan)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE metrics_points AS SELECT * FROM metrics");
            migrationBuilder.Sql("DROP VIEW metrics");
            migrationBuilder.CreateTable(
                name: "metrics",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    step = table.Column<long>(type: "bigint", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    is_nan = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metrics", x => new { x.run_key, x.key, x.step, x.timestamp, x.value, x.is_nan });
                });
            migrationBuilder.Sql("INSERT INTO metrics SELECT * FROM metrics_points");
            migrationBuilder.Sql("DROP TABLE metrics_points");
            migrationBuilder.DropTable(
                name: "metric_chunks");
        }
    }
}
