namespace Personalization.Testing;

/// <summary>Finds files of this repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds Personalization.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Personalization.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Personalization.sln not found above {AppContext.BaseDirectory}.");
    }
}
