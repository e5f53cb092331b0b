using System.Globalization;
using Personalization.Load;
using Personalization.Testing;

// dotnet run -c Release --project tests/Personalization.Load -- grpc [customers=100000] [seconds-per-step=8] [memory,azurite] [all|track]
// dotnet run -c Release --project tests/Personalization.Load -- items [customers=20000] [seconds-per-step=8] [memory|azurite] [concurrencies=1,4,16,64,256]
// dotnet run -c Release --project tests/Personalization.Load -- campaign [customers=1000000] [memory|azurite]
// dotnet run -c Release --project tests/Personalization.Load -- journey [customers=100000] [memory|azurite]
// dotnet run -c Release --project tests/Personalization.Load -- journey-wake [customers=1000000] [memory|azurite] [pace]
// dotnet run -c Release --project tests/Personalization.Load -- journey-fault [customers=100000] [kill|restart|both=both]
const string Usage = "usage: Personalization.Load grpc [customers=100000] [seconds-per-step=8] [memory,azurite] [all|track]\n       Personalization.Load items [customers=20000] [seconds-per-step=8] [memory|azurite] [concurrencies=1,4,16,64,256]\n       Personalization.Load campaign [customers=1000000] [memory|azurite]\n       Personalization.Load journey [customers=100000] [memory|azurite] [max-total-entries=0 (none)]\n       Personalization.Load journey-wake [customers=1000000] [memory|azurite] [pace=0 (all due together) | entries per second]\n       Personalization.Load journey-fault [customers=100000] [kill|restart|both=both] [--Section:Key=value for the silos ...]";
var bench = Path.Combine(RepositoryPaths.Root, ".data", "bench");
switch (args.FirstOrDefault())
{
    case "grpc":
    {
        var options = GrpcOptions.Default;
        if (args.Length > 1)
        {
            options = options with { Customers = int.Parse(args[1], CultureInfo.InvariantCulture) };
        }

        if (args.Length > 2)
        {
            options = options with { StepDuration = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)) };
        }

        if (args.Length > 3)
        {
            options = options with { Storages = args[3].Split(',') };
        }

        if (args.Length > 4)
        {
            options = options with { TrackOnly = args[4] == "track" };
        }

        var result = await new GrpcScenarios(options, Console.Out).RunAsync();
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, "grpc.json"));
        return 0;
    }

    case "items":
    {
        var options = GrpcOptions.Default with { Customers = 20_000, Storages = ["memory"] };
        if (args.Length > 1)
        {
            options = options with { Customers = int.Parse(args[1], CultureInfo.InvariantCulture) };
        }

        if (args.Length > 2)
        {
            options = options with { StepDuration = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)) };
        }

        if (args.Length > 3)
        {
            options = options with { Storages = [args[3]], Concurrency = args.Length > 4 ? [.. args[4].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] : options.Concurrency };
        }

        var result = await new GrpcScenarios(options, Console.Out).RunItemsAsync();
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, $"items-{options.Customers}-{options.Storages[0]}.json"));
        return 0;
    }

    case "campaign":
    {
        var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var durable = args.Length > 2 && args[2] == "azurite";
        var result = await new CampaignScenario(customers, durable).RunAsync(Console.Out);
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, $"campaign-{customers}-{(durable ? "azurite" : "memory")}.json"));
        return 0;
    }

    case "journey":
    {
        var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var durable = args.Length > 2 && args[2] == "azurite";
        var limit = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        var result = await new JourneyScenario(customers, durable, limit).RunAsync(Console.Out);
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, $"journey-{customers}-{(durable ? "azurite" : "memory")}{(limit > 0 ? $"-limit{limit}" : "")}.json"));
        return 0;
    }

    case "journey-wake":
    {
        var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var durable = args.Length > 2 && args[2] == "azurite";
        var pace = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        var result = await new JourneyWakeScenario(customers, durable, pace).RunAsync(Console.Out);
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, $"journey-wake-{customers}-{(durable ? "azurite" : "memory")}{(pace > 0 ? $"-paced{pace}" : "")}.json"));
        return 0;
    }

    case "journey-fault":
    {
        var customers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        JourneyFault[]? faults = (args.Length > 2 ? args[2] : "both") switch
        {
            "kill" => [JourneyFault.Kill],
            "restart" => [JourneyFault.Restart],
            "both" => [JourneyFault.Kill, JourneyFault.Restart],
            _ => null,
        };
        if (faults is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // Any further arguments are settings for the silos (e.g. --Wakes:Concurrency=8).
        var result = await new JourneyFaultScenario(customers, faults, [.. args.Skip(3)]).RunAsync(Console.Out);
        CampaignScenario.Report(result, Console.Out, Path.Combine(bench, $"journey-fault-{customers}.json"));
        return result["passed"] is true ? 0 : 1; // a missing, duplicated or early delivery fails the run
    }

    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
