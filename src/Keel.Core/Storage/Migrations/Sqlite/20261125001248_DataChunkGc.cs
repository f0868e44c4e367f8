using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DataChunkGc : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "deleting_since",
                table: "data_chunks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "last_used",
                table: "data_chunks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Chunks stored before this version start their garbage-collection grace at their upload.
            migrationBuilder.Sql("UPDATE data_chunks SET last_used = creation_time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "deleting_since",
                table: "data_chunks");

            migrationBuilder.DropColumn(
                name: "last_used",
                table: "data_chunks");
        }
    }
}
