using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_event_lock",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_event_lock", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_cursor",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    last_event_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_cursor", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    delivery_id = table.Column<string>(type: "TEXT", nullable: false),
                    webhook_id = table.Column<string>(type: "TEXT", nullable: false),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    attempts = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_time = table.Column<long>(type: "INTEGER", nullable: false),
                    creation_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.delivery_id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_delivery_attempts",
                columns: table => new
                {
                    attempt_id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    delivery_id = table.Column<string>(type: "TEXT", nullable: false),
                    webhook_id = table.Column<string>(type: "TEXT", nullable: false),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    attempt = table.Column<long>(type: "INTEGER", nullable: false),
                    time = table.Column<long>(type: "INTEGER", nullable: false),
                    status_code = table.Column<long>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    duration_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    success = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_delivery_attempts", x => x.attempt_id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "TEXT", nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_subscriptions", x => new { x.webhook_id, x.@event });
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    secret = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    creation_time = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_time = table.Column<long>(type: "INTEGER", nullable: false),
                    first_event_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhooks", x => x.webhook_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_status_next_attempt_time",
                table: "webhook_deliveries",
                columns: new[] { "status", "next_attempt_time" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_webhook_id_event_id",
                table: "webhook_deliveries",
                columns: new[] { "webhook_id", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_delivery_attempts_delivery_id_attempt",
                table: "webhook_delivery_attempts",
                columns: new[] { "delivery_id", "attempt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_delivery_attempts_webhook_id_attempt_id",
                table: "webhook_delivery_attempts",
                columns: new[] { "webhook_id", "attempt_id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_subscriptions_event",
                table: "webhook_subscriptions",
                column: "event");

            migrationBuilder.CreateIndex(
                name: "IX_webhooks_creation_time",
                table: "webhooks",
                column: "creation_time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_event_lock");

            migrationBuilder.DropTable(
                name: "webhook_cursor");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_delivery_attempts");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions");

            migrationBuilder.DropTable(
                name: "webhooks");
        }
    }
}
