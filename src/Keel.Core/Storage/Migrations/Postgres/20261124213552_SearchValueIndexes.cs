using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keel.Core.Storage.Migrations.Postgres
{
    /// <summary>
    /// Hand-written (EF models no expression indexes): lets run search filtered or ordered by one param or
    /// tag walk that key's values in order. The index holds a 200-character prefix because PostgreSQL's
    /// B-tree entries are limited to about 2.7 kB and MLflow allows values of 6,000 (params) and 5,000
    /// (tags) characters; search orders by the prefix, then the whole value, which is the same order.
    /// </summary>
    public partial class SearchValueIndexes : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX \"IX_params_key_value_prefix\" ON params (key, substr(value, 1, 200))");
            migrationBuilder.Sql("CREATE INDEX \"IX_tags_key_value_prefix\" ON tags (key, substr(value, 1, 200))");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_params_key_value_prefix\"");
            migrationBuilder.Sql("DROP INDEX \"IX_tags_key_value_prefix\"");
        }
    }
}
