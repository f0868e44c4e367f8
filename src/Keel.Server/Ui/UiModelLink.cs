using Keel.Core;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Microsoft.AspNetCore.Html;

namespace Keel.Server.Ui;

/// <summary>A deployment's model URI as a link to the registry page it names.</summary>
internal static class UiModelLink
{
    public static IHtmlContent Render(string uri)
    {
        string? href;
        try
        {
            href = ModelUri.Parse(uri) switch
            {
                ModelUri.ModelVersion v => $"/models/{Uri.EscapeDataString(v.Name)}/versions/{v.Version}",
                ModelUri.ModelAlias a => $"/models/{Uri.EscapeDataString(a.Name)}",
                ModelUri.ModelStage s => $"/models/{Uri.EscapeDataString(s.Name)}",
                _ => null,
            };
        }
        catch (KeelException)
        {
            href = null;
        }

        var builder = new HtmlContentBuilder();
        if (href is null)
        {
            return builder.Append(uri);
        }

        return builder.AppendHtml("<a href=\"").Append(href).AppendHtml("\">").Append(uri).AppendHtml("</a>");
    }

    public static string Traffic(DeploymentSpec spec) =>
        spec.Canary is { } c ? $"{100 - c.Percent}% / {c.Percent}% canary" : "100%";
}
