using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
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
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    prediction_id = table.Column<string>(type: "TEXT", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", nullable: false),
                    model_version = table.Column<long>(type: "INTEGER", nullable: false),
                    deployment = table.Column<string>(type: "TEXT", nullable: true),
                    revision = table.Column<long>(type: "INTEGER", nullable: true),
                    request_key = table.Column<string>(type: "TEXT", nullable: true),
                    inputs = table.Column<string>(type: "TEXT", nullable: false),
                    outputs = table.Column<string>(type: "TEXT", nullable: false),
                    latency_micros = table.Column<long>(type: "INTEGER", nullable: false),
                    time = table.Column<long>(type: "INTEGER", nullable: false),
                    shadow = table.Column<bool>(type: "INTEGER", nullable: false)
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
