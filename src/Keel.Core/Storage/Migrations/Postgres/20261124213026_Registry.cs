using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Registry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "model_version_tags",
                columns: table => new
                {
                    model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_version_tags", x => new { x.model_id, x.version, x.key });
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    user_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    current_stage = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    source = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    storage_location = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    run_id = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    run_link = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status_message = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_versions", x => new { x.model_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "registered_model_aliases",
                columns: table => new
                {
                    model_id = table.Column<long>(type: "bigint", nullable: false),
                    alias = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registered_model_aliases", x => new { x.model_id, x.alias });
                });

            migrationBuilder.CreateTable(
                name: "registered_model_tags",
                columns: table => new
                {
                    model_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    value = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registered_model_tags", x => new { x.model_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "registered_models",
                columns: table => new
                {
                    model_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    last_version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registered_models", x => x.model_id);
                });

            migrationBuilder.CreateTable(
                name: "registry_events",
                columns: table => new
                {
                    event_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    event_type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    model_name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    version = table.Column<long>(type: "bigint", nullable: true),
                    payload = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_events", x => x.event_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_model_id_current_stage_version",
                table: "model_versions",
                columns: new[] { "model_id", "current_stage", "version" });

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_run_id",
                table: "model_versions",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "IX_registered_model_aliases_model_id_version",
                table: "registered_model_aliases",
                columns: new[] { "model_id", "version" });

            migrationBuilder.CreateIndex(
                name: "IX_registered_models_name",
                table: "registered_models",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_events_model_name_event_id",
                table: "registry_events",
                columns: new[] { "model_name", "event_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "model_version_tags");

            migrationBuilder.DropTable(
                name: "model_versions");

            migrationBuilder.DropTable(
                name: "registered_model_aliases");

            migrationBuilder.DropTable(
                name: "registered_model_tags");

            migrationBuilder.DropTable(
                name: "registered_models");

            migrationBuilder.DropTable(
                name: "registry_events");
        }
    }
}
