using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cause",
                table: "deployment_revisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "model_version",
                table: "deployment_revisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "shadow_version",
                table: "deployment_revisions",
                type: "INTEGER",
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
