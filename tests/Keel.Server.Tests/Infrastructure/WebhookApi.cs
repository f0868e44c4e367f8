namespace Keel.Server.Tests.Infrastructure;

/// <summary>Shortcuts for the webhook calls the tests make before the one they check.</summary>
public static class WebhookApi
{
    public static object Event(string entity, string action) => new { entity, action };

    public static async Task<JsonNode> CreateWebhookAsync(this MlflowApi api, string url, object[] events, string? secret = null, string? status = null, string? name = null) =>
        (await api.PostAsync("/webhooks", new { name = name ?? "hook-" + Guid.NewGuid().ToString("N")[..8], url, events, secret, status }))
        .Ok().Json["webhook"]!;

    public static async Task<JsonArray> DeliveriesAsync(HttpClient http, string webhookId) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/keel/v1/webhooks/{webhookId}/deliveries"))!["deliveries"]?.AsArray() ?? [];

    /// <summary>Polls until <paramref name="done"/> holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> done, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await done())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return await done();
    }
}
