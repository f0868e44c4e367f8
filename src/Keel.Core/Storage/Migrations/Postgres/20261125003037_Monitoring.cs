using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "monitor_alerts",
                columns: table => new
                {
                    alert_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    monitor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    deployment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    rule = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    subject = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    open_key = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    message = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<double>(type: "double precision", nullable: true),
                    threshold = table.Column<double>(type: "double precision", nullable: true),
                    opened_time = table.Column<long>(type: "bigint", nullable: false),
                    opened_window = table.Column<long>(type: "bigint", nullable: false),
                    resolved_time = table.Column<long>(type: "bigint", nullable: true),
                    resolved_window = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitor_alerts", x => x.alert_id);
                });

            migrationBuilder.CreateTable(
                name: "monitors",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    deployment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    reference = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    window_kind = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    window_size = table.Column<long>(type: "bigint", nullable: false),
                    settings = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitors", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "prediction_labels",
                columns: table => new
                {
                    prediction_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    deployment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    label = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_prediction_labels", x => x.prediction_id);
                });

            migrationBuilder.CreateTable(
                name: "monitor_reports",
                columns: table => new
                {
                    monitor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    window_index = table.Column<long>(type: "bigint", nullable: false),
                    range_start = table.Column<long>(type: "bigint", nullable: false),
                    range_end = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    claim_time = table.Column<long>(type: "bigint", nullable: false),
                    computed_time = table.Column<long>(type: "bigint", nullable: false),
                    rows = table.Column<long>(type: "bigint", nullable: false),
                    labelled = table.Column<long>(type: "bigint", nullable: false),
                    dataset_drift = table.Column<bool>(type: "boolean", nullable: false),
                    drift_share = table.Column<double>(type: "double precision", nullable: false),
                    dirty = table.Column<bool>(type: "boolean", nullable: false),
                    report = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitor_reports", x => new { x.monitor, x.window_index });
                    table.ForeignKey(
                        name: "FK_monitor_reports_monitors_monitor",
                        column: x => x.monitor,
                        principalTable: "monitors",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_predictions_deployment_seq",
                table: "predictions",
                columns: new[] { "deployment", "seq" });

            migrationBuilder.CreateIndex(
                name: "IX_predictions_deployment_time",
                table: "predictions",
                columns: new[] { "deployment", "time" });

            migrationBuilder.CreateIndex(
                name: "IX_monitor_alerts_monitor_alert_id",
                table: "monitor_alerts",
                columns: new[] { "monitor", "alert_id" });

            migrationBuilder.CreateIndex(
                name: "IX_monitor_alerts_open_key",
                table: "monitor_alerts",
                column: "open_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_monitors_deployment",
                table: "monitors",
                column: "deployment");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "monitor_alerts");

            migrationBuilder.DropTable(
                name: "monitor_reports");

            migrationBuilder.DropTable(
                name: "prediction_labels");

            migrationBuilder.DropTable(
                name: "monitors");

            migrationBuilder.DropIndex(
                name: "IX_predictions_deployment_seq",
                table: "predictions");

            migrationBuilder.DropIndex(
                name: "IX_predictions_deployment_time",
                table: "predictions");
        }
    }
}
