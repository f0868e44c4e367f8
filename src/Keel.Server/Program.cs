using Keel.Server;

var app = KeelServer.Build(args);
await app.RunAsync();

public partial class Program;
