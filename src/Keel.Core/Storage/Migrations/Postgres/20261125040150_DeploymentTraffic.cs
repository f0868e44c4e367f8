using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
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
                    deployment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    minute = table.Column<long>(type: "bigint", nullable: false),
                    model_name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    model_version = table.Column<long>(type: "bigint", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    errors = table.Column<long>(type: "bigint", nullable: false),
                    l0 = table.Column<long>(type: "bigint", nullable: false),
                    l1 = table.Column<long>(type: "bigint", nullable: false),
                    l2 = table.Column<long>(type: "bigint", nullable: false),
                    l3 = table.Column<long>(type: "bigint", nullable: false),
                    l4 = table.Column<long>(type: "bigint", nullable: false),
                    l5 = table.Column<long>(type: "bigint", nullable: false),
                    l6 = table.Column<long>(type: "bigint", nullable: false),
                    l7 = table.Column<long>(type: "bigint", nullable: false),
                    l8 = table.Column<long>(type: "bigint", nullable: false),
                    l9 = table.Column<long>(type: "bigint", nullable: false),
                    l10 = table.Column<long>(type: "bigint", nullable: false),
                    l11 = table.Column<long>(type: "bigint", nullable: false)
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
