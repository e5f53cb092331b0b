using System.Globalization;
using Personalization.Load;
using Personalization.Testing;

// dotnet run -c Release --project tests/Personalization.Load -- campaign [customers] [memory|azurite]
if (args.Length == 0 || args[0] != "campaign")
{
    Console.Error.WriteLine("usage: Personalization.Load campaign [customers=1000000] [memory|azurite]");
    return 2;
}

var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var durable = args.Length > 2 && args[2] == "azurite";
var result = await new CampaignScenario(customers, durable).RunAsync(Console.Out);
CampaignScenario.Report(result, Console.Out, Path.Combine(RepositoryPaths.Root, ".data", "bench", $"campaign-{customers}-{(durable ? "azurite" : "memory")}.json"));
return 0;
