using Personalization.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
