using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DatasetVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_chunks",
                columns: table => new
                {
                    chunk_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_chunks", x => x.chunk_id);
                });

            migrationBuilder.CreateTable(
                name: "data_datasets",
                columns: table => new
                {
                    dataset_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datasets", x => x.dataset_id);
                });

            migrationBuilder.CreateTable(
                name: "data_tags",
                columns: table => new
                {
                    dataset_id = table.Column<long>(type: "bigint", nullable: false),
                    tag = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_tags", x => new { x.dataset_id, x.tag });
                });

            migrationBuilder.CreateTable(
                name: "data_versions",
                columns: table => new
                {
                    dataset_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    digest = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    message = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    file_count = table.Column<long>(type: "bigint", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    manifest = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_versions", x => new { x.dataset_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_data_datasets_name",
                table: "data_datasets",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_chunks");

            migrationBuilder.DropTable(
                name: "data_datasets");

            migrationBuilder.DropTable(
                name: "data_tags");

            migrationBuilder.DropTable(
                name: "data_versions");
        }
    }
}
