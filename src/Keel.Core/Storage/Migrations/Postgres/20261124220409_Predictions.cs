using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Predictions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    prediction_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    model_name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    model_version = table.Column<long>(type: "bigint", nullable: false),
                    deployment = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    revision = table.Column<long>(type: "bigint", nullable: true),
                    request_key = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    inputs = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    outputs = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    latency_micros = table.Column<long>(type: "bigint", nullable: false),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    shadow = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => x.seq);
                });

            migrationBuilder.CreateIndex(
                name: "IX_predictions_model_name_seq",
                table: "predictions",
                columns: new[] { "model_name", "seq" });

            migrationBuilder.CreateIndex(
                name: "IX_predictions_prediction_id",
                table: "predictions",
                column: "prediction_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "predictions");
        }
    }
}
