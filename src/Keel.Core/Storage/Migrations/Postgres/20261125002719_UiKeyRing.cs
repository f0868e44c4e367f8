using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UiKeyRing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    friendly_name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    xml = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.friendly_name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");
        }
    }
}
