using ClickCollect.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddClickCollect();
var app = builder.Build();
app.UseClickCollect();
app.MapClickCollect();
if (await app.RunCommandAsync(args)) return;
await app.PrepareDatabaseAsync();
app.Run();
