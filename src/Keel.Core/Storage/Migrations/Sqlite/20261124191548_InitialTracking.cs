using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    experiment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    digest = table.Column<string>(type: "TEXT", nullable: false),
                    source_type = table.Column<string>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    schema = table.Column<string>(type: "TEXT", nullable: true),
                    profile = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.dataset_id);
                });

            migrationBuilder.CreateTable(
                name: "experiment_tags",
                columns: table => new
                {
                    experiment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiment_tags", x => new { x.experiment_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    experiment_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    artifact_location = table.Column<string>(type: "TEXT", nullable: false),
                    lifecycle_stage = table.Column<string>(type: "TEXT", nullable: false),
                    creation_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_update_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments", x => x.experiment_id);
                });

            migrationBuilder.CreateTable(
                name: "input_tags",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_input_tags", x => new { x.run_key, x.dataset_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "inputs",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inputs", x => new { x.run_key, x.dataset_id });
                });

            migrationBuilder.CreateTable(
                name: "latest_metrics",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: false),
                    is_nan = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_latest_metrics", x => new { x.run_key, x.key });
                });

            // Hand-edited: WITHOUT ROWID clusters points by (run, key, step, ...) so an append touches one
            // B-tree and a history read is one range scan. EF cannot express this; the model is unchanged.
            migrationBuilder.Sql(
                "CREATE TABLE \"metrics\" (\"run_key\" INTEGER NOT NULL, \"key\" TEXT NOT NULL, \"step\" INTEGER NOT NULL, " +
                "\"timestamp\" INTEGER NOT NULL, \"value\" REAL NOT NULL, \"is_nan\" INTEGER NOT NULL, " +
                "CONSTRAINT \"PK_metrics\" PRIMARY KEY (\"run_key\", \"key\", \"step\", \"timestamp\", \"value\", \"is_nan\")) WITHOUT ROWID;");

            migrationBuilder.CreateTable(
                name: "params",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_params", x => new { x.run_key, x.key });
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_uuid = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<long>(type: "INTEGER", nullable: false),
                    end_time = table.Column<long>(type: "INTEGER", nullable: true),
                    lifecycle_stage = table.Column<string>(type: "TEXT", nullable: false),
                    artifact_uri = table.Column<string>(type: "TEXT", nullable: false),
                    deleted_time = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.run_key);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tags", x => new { x.run_key, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_datasets_experiment_id_name_digest",
                table: "datasets",
                columns: new[] { "experiment_id", "name", "digest" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_name",
                table: "experiments",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_latest_metrics_key_value",
                table: "latest_metrics",
                columns: new[] { "key", "value" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_experiment_id_lifecycle_stage_start_time",
                table: "runs",
                columns: new[] { "experiment_id", "lifecycle_stage", "start_time" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_run_uuid",
                table: "runs",
                column: "run_uuid",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "experiment_tags");

            migrationBuilder.DropTable(
                name: "experiments");

            migrationBuilder.DropTable(
                name: "input_tags");

            migrationBuilder.DropTable(
                name: "inputs");

            migrationBuilder.DropTable(
                name: "latest_metrics");

            migrationBuilder.DropTable(
                name: "metrics");

            migrationBuilder.DropTable(
                name: "params");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "tags");
        }
    }
}
