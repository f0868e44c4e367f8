using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
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
                    dataset_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    experiment_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    digest = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source_type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    schema = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    profile = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.dataset_id);
                });

            migrationBuilder.CreateTable(
                name: "experiment_tags",
                columns: table => new
                {
                    experiment_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiment_tags", x => new { x.experiment_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    experiment_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    artifact_location = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    lifecycle_stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_update_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments", x => x.experiment_id);
                });

            migrationBuilder.CreateTable(
                name: "input_tags",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    dataset_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_input_tags", x => new { x.run_key, x.dataset_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "inputs",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    dataset_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inputs", x => new { x.run_key, x.dataset_id });
                });

            migrationBuilder.CreateTable(
                name: "latest_metrics",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: false),
                    is_nan = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_latest_metrics", x => new { x.run_key, x.key });
                });

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

            migrationBuilder.CreateTable(
                name: "params",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_params", x => new { x.run_key, x.key });
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_uuid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    experiment_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    start_time = table.Column<long>(type: "bigint", nullable: false),
                    end_time = table.Column<long>(type: "bigint", nullable: true),
                    lifecycle_stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    artifact_uri = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    deleted_time = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.run_key);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    run_key = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
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
