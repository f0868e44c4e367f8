global using System.Net;
global using System.Text.Json.Nodes;
global using Keel.Server.Tests.Infrastructure;
global using Keel.Testing;
