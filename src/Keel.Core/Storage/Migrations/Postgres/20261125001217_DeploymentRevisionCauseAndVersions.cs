using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeploymentRevisionCauseAndVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "canary_version",
                table: "deployment_revisions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cause",
                table: "deployment_revisions",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<long>(
                name: "model_version",
                table: "deployment_revisions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "shadow_version",
                table: "deployment_revisions",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "canary_version",
                table: "deployment_revisions");

            migrationBuilder.DropColumn(
                name: "cause",
                table: "deployment_revisions");

            migrationBuilder.DropColumn(
                name: "model_version",
                table: "deployment_revisions");

            migrationBuilder.DropColumn(
                name: "shadow_version",
                table: "deployment_revisions");
        }
    }
}
