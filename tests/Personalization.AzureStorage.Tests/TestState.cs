namespace Personalization.AzureStorage.Tests;

/// <summary>A small state with the shapes real grain state has: text, a number, a list.</summary>
[GenerateSerializer]
public sealed class TestState
{
    [Id(0)]
    public string Text { get; set; } = "";

    [Id(1)]
    public int Number { get; set; }

    [Id(2)]
    public List<string> Items { get; set; } = [];
}
