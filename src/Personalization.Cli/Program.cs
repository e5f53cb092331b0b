using Personalization.Cli;

return await CliApp.RunAsync(args);
