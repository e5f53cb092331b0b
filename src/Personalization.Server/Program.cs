using Personalization.Server.Hosting;

// Configuration mistakes stop start-up with one line naming the setting, not a stack trace.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPersonalization();

    var app = builder.Build();
    app.MapPersonalization();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync($"Personalization did not start: {message}");
    return 2;
}
