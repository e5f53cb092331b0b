using System.Diagnostics;
using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>
/// The dependency gate's reading of its tools' reports (deploy/local/audit-deps.mjs, run by audit-deps.sh in
/// the test command): a high or critical package fails it, lesser ones do not, and a report without advisory
/// data is said to be unavailable, never clean.
/// </summary>
public sealed class DependencyAuditTests
{
    private const string NugetHighTransitive = """
        {
          "version": 1,
          "parameters": "--vulnerable --include-transitive",
          "sources": [ "local" ],
          "projects": [
            { "path": "src/Personalization.Server/Personalization.Server.csproj",
              "frameworks": [ { "framework": "net10.0",
                "topLevelPackages": [ { "id": "Safe.Package", "requestedVersion": "1.0.0", "resolvedVersion": "1.0.0" } ],
                "transitivePackages": [ { "id": "System.Text.Json", "resolvedVersion": "8.0.0",
                  "vulnerabilities": [ { "severity": "High", "advisoryurl": "https://github.com/advisories/GHSA-8g4q-xg66-9fp4" } ] } ] } ] },
            { "path": "tests/Personalization.Testing/Personalization.Testing.csproj" }
          ]
        }
        """;

    private const string NugetModerateOnly = """
        { "version": 1, "projects": [ { "path": "a.csproj", "frameworks": [ { "framework": "net10.0",
          "topLevelPackages": [ { "id": "Some.Package", "resolvedVersion": "2.0.0", "vulnerabilities": [ { "severity": "Moderate", "advisoryurl": "https://example.invalid/a" } ] } ] } ] } ] }
        """;

    private const string NugetNoData = """
        { "version": 1, "problems": [ { "level": "warning", "text": "Audit source 'local' did not provide any vulnerability data." } ],
          "projects": [ { "path": "a.csproj" } ] }
        """;

    private const string NpmCritical = """
        { "auditReportVersion": 2,
          "vulnerabilities": { "tar": { "name": "tar", "severity": "critical", "range": "<6.2.1", "via": [ { "url": "https://github.com/advisories/GHSA-f5x3-32g6-xq36" } ] } },
          "metadata": { "vulnerabilities": { "info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 1, "total": 1 }, "dependencies": { "prod": 12 } } }
        """;

    private const string NpmNoEndpoint = """
        { "message": "405 Method Not Allowed - POST https://mirror.invalid/-/npm/v1/security/advisories/bulk", "statusCode": 405 }
        """;

    private const string NpmNoProductionDependencies = """
        { "auditReportVersion": 2, "vulnerabilities": {},
          "metadata": { "vulnerabilities": { "info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0, "total": 0 }, "dependencies": { "prod": 1, "dev": 457 } } }
        """;

    [Fact]
    public async Task AHighTransitiveNuGetPackageFailsTheGateNamingIt()
    {
        var (code, output) = await JudgeAsync("nuget", NugetHighTransitive);

        Assert.Equal(1, code);
        Assert.Contains("nuget: HIGH System.Text.Json 8.0.0 https://github.com/advisories/GHSA-8g4q-xg66-9fp4 (src/Personalization.Server/Personalization.Server.csproj)", output);
        Assert.Contains("nuget: 1 vulnerable package(s), 1 high or critical", output);
    }

    [Fact]
    public async Task AModerateNuGetPackageIsListedButPasses()
    {
        var (code, output) = await JudgeAsync("nuget", NugetModerateOnly);

        Assert.Equal(0, code);
        Assert.Contains("nuget: MODERATE Some.Package 2.0.0", output);
    }

    [Fact]
    public async Task ANuGetSourceWithoutAdvisoryDataIsUnavailableNotClean()
    {
        var (code, output) = await JudgeAsync("nuget", NugetNoData);

        Assert.Equal(2, code);
        Assert.Contains("VULNERABILITY DATA UNAVAILABLE (Audit source 'local' did not provide any vulnerability data.)", output);
    }

    [Fact]
    public async Task ACriticalNpmPackageFailsTheGate()
    {
        var (code, output) = await JudgeAsync("npm", NpmCritical);

        Assert.Equal(1, code);
        Assert.Contains("npm: CRITICAL tar <6.2.1 https://github.com/advisories/GHSA-f5x3-32g6-xq36", output);
        Assert.Contains("npm: 11 production package(s) audited", output);
    }

    [Fact]
    public async Task AnNpmRegistryWithoutTheAuditEndpointIsUnavailableNotClean()
    {
        var (code, output) = await JudgeAsync("npm", NpmNoEndpoint);

        Assert.Equal(2, code);
        Assert.Contains("npm: VULNERABILITY DATA UNAVAILABLE (405 Method Not Allowed", output);
    }

    [Fact]
    public async Task AnNpmTreeWithOnlyDevDependenciesSaysItAuditedNothing()
    {
        var (code, output) = await JudgeAsync("npm", NpmNoProductionDependencies);

        Assert.Equal(0, code);
        Assert.Contains("npm: 0 production package(s) audited", output);
    }

    private static async Task<(int Code, string Output)> JudgeAsync(string tool, string report)
    {
        var file = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, report);
        try
        {
            var start = new ProcessStartInfo("node", [Path.Combine(RepositoryPaths.Root, "deploy", "local", "audit-deps.mjs"), tool, file]) { RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
