using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeploymentTraffic : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "deployment_traffic",
                columns: table => new
                {
                    deployment = table.Column<string>(type: "TEXT", nullable: false),
                    minute = table.Column<long>(type: "INTEGER", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", nullable: false),
                    model_version = table.Column<long>(type: "INTEGER", nullable: false),
                    requests = table.Column<long>(type: "INTEGER", nullable: false),
                    errors = table.Column<long>(type: "INTEGER", nullable: false),
                    l0 = table.Column<long>(type: "INTEGER", nullable: false),
                    l1 = table.Column<long>(type: "INTEGER", nullable: false),
                    l2 = table.Column<long>(type: "INTEGER", nullable: false),
                    l3 = table.Column<long>(type: "INTEGER", nullable: false),
                    l4 = table.Column<long>(type: "INTEGER", nullable: false),
                    l5 = table.Column<long>(type: "INTEGER", nullable: false),
                    l6 = table.Column<long>(type: "INTEGER", nullable: false),
                    l7 = table.Column<long>(type: "INTEGER", nullable: false),
                    l8 = table.Column<long>(type: "INTEGER", nullable: false),
                    l9 = table.Column<long>(type: "INTEGER", nullable: false),
                    l10 = table.Column<long>(type: "INTEGER", nullable: false),
                    l11 = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_traffic", x => new { x.deployment, x.minute, x.model_name, x.model_version });
                    table.ForeignKey(
                        name: "FK_deployment_traffic_deployments_deployment",
                        column: x => x.deployment,
                        principalTable: "deployments",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_deployment_traffic_minute",
                table: "deployment_traffic",
                column: "minute");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deployment_traffic");
        }
    }
}
