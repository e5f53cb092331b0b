using Personalization.Console.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPersonalizationConsole();

var app = builder.Build();
app.MapPersonalizationConsole();
await app.RunAsync();
