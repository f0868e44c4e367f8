using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_event_lock", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_cursor",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    last_event_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_cursor", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    delivery_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    webhook_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    event_id = table.Column<long>(type: "bigint", nullable: false),
                    @event = table.Column<string>(name: "event", type: "text", nullable: false, collation: "C"),
                    payload = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    attempts = table.Column<long>(type: "bigint", nullable: false),
                    next_attempt_time = table.Column<long>(type: "bigint", nullable: false),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.delivery_id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_delivery_attempts",
                columns: table => new
                {
                    attempt_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    webhook_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    event_id = table.Column<long>(type: "bigint", nullable: false),
                    attempt = table.Column<long>(type: "bigint", nullable: false),
                    time = table.Column<long>(type: "bigint", nullable: false),
                    status_code = table.Column<long>(type: "bigint", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    duration_ms = table.Column<long>(type: "bigint", nullable: false),
                    success = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_delivery_attempts", x => x.attempt_id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    @event = table.Column<string>(name: "event", type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_subscriptions", x => new { x.webhook_id, x.@event });
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    secret = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    creation_time = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_time = table.Column<long>(type: "bigint", nullable: false),
                    first_event_id = table.Column<long>(type: "bigint", nullable: false)
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
