namespace Personalization.Server.Models;

/// <summary>
/// Training rows as <see cref="TrainingRowSource"/> built them: the CSV header, the rows (read once),
/// the requested features no logged decision carried (offer rows only) and the rows in words.
/// </summary>
public sealed record TrainingRowSet(IReadOnlyList<string> Header, IAsyncEnumerable<IEnumerable<string>> Rows, IReadOnlyList<string> Unlogged, string Description);
