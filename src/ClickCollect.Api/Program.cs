using ClickCollect.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddClickCollect();
var app = builder.Build();
app.UseClickCollect();
app.MapClickCollect();
if (await app.RunCommandAsync(args) is { } exitCode) return exitCode;
if (!await app.PrepareDatabaseAsync()) return 2;
app.Run();
return 0;
