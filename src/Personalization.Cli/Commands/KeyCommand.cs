using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize key new --role R [--name N]</c>: a new API key and the settings that admit it (only its hash is configured).</summary>
public static class KeyCommand
{
    private static readonly string[] KnownRoles = ["app", "campaign-manager", "data-scientist", "admin", "publishable"];

    public static Command Create()
    {
        var roles = new Option<string[]>("--role") { Description = "app, campaign-manager, data-scientist, admin or publishable (a web page's key: Track and Decide only). Repeatable.", Required = true }.AcceptOnlyFromAmong(KnownRoles);
        var name = new Option<string>("--name") { Description = "A name for the key (logs and audits).", DefaultValueFactory = _ => "key1" };
        var create = new Command("new", "Make a random API key; print it once, with the Auth settings (its SHA-256 and roles) for the server.") { roles, name };
        create.SetAction(parse =>
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            var keyName = parse.GetValue(name)!;
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"key (give it to the caller; it is not stored anywhere): {key}");
            output.WriteLine("server settings (environment variables):");
            output.WriteLine($"  Auth__Keys__{keyName}__Sha256={hash}");
            foreach (var (role, i) in parse.GetValue(roles)!.Select((r, i) => (r, i)))
            {
                output.WriteLine($"  Auth__Keys__{keyName}__Roles__{i}={role}");
            }

            return 0;
        });
        return new Command("key", "API keys.") { create };
    }
}
