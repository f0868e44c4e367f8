using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddGrantsAndRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "role",
                table: "users",
                type: "bigint",
                nullable: false,
                defaultValue: 1L);

            migrationBuilder.CreateTable(
                name: "grants",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    resource_type = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    resource_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    role = table.Column<long>(type: "bigint", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grants", x => new { x.user_id, x.resource_type, x.resource_id });
                    table.ForeignKey(
                        name: "FK_grants_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "user_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_grants_resource_type_resource_id",
                table: "grants",
                columns: new[] { "resource_type", "resource_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "grants");

            migrationBuilder.DropColumn(
                name: "role",
                table: "users");
        }
    }
}
