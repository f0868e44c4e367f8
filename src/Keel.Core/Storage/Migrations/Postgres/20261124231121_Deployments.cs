using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Deployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    latest_revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "deployment_revisions",
                columns: table => new
                {
                    deployment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    spec = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    actor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    message = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_revisions", x => new { x.deployment, x.revision });
                    table.ForeignKey(
                        name: "FK_deployment_revisions_deployments_deployment",
                        column: x => x.deployment,
                        principalTable: "deployments",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deployment_revisions");

            migrationBuilder.DropTable(
                name: "deployments");
        }
    }
}
