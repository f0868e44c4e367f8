using Keel.Core.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;

namespace Keel.Server.Ui;

/// <summary>
/// The web UI: Razor Pages under Ui/Pages, one folder per feature, served at / by the same process as the API.
/// Pages read through the Core stores the endpoints use; static files (CSS, JS, uPlot) are embedded in this assembly
/// so `keel server` serves them wherever it runs from.
/// </summary>
internal static class KeelUi
{
    public const string StaticPath = "/ui/static";

    public static IServiceCollection AddKeelUi(this IServiceCollection services)
    {
        // The pages are compiled into this assembly; when `keel` (the CLI) hosts the server, the host's
        // application is the CLI's assembly, so name this one explicitly.
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Ui/Pages";
                // Pages show the workspace; a form post changes something (the deployment page's rollback changes its deployment).
                o.Conventions.AddFolderApplicationModelConvention("/", page => page.EndpointMetadata.Add(page.ViewEnginePath == "/Deployments/Deployment"
                    ? new KeelPolicy(KeelPolicy.Access.Resource, ResourceKind.Deployment, Permission.Read, Locate.Deployment, Write: Permission.Edit)
                    : new KeelPolicy(KeelPolicy.Access.Resource, ResourceKind.Workspace, Permission.Read, Write: Permission.Edit)));
            })
            .ConfigureApplicationPartManager(parts =>
            {
                var assembly = typeof(KeelUi).Assembly;
                if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.TryAddSingleton<DataCatalog>();
        services.TryAddSingleton<DatabaseKeyRing>();
        // One application name and one key ring in the database: every replica protects and reads tokens alike.
        services.AddDataProtection().SetApplicationName("Keel");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRing>((o, ring) => o.XmlRepository = ring);
        return services;
    }

    public static WebApplication MapKeelUi(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(KeelUi).Assembly, "Keel.Server.Ui.Static"),
            RequestPath = StaticPath,
        });
        app.MapRazorPages();
        return app;
    }
}
