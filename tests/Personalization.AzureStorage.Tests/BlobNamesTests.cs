using Personalization.AzureStorage.Storage;

namespace Personalization.AzureStorage.Tests;

public sealed class BlobNamesTests
{
    [Fact]
    public void NamesAreReadableForPlainKeys()
    {
        var name = BlobNames.For("profile", GrainId.Create("customer", "c-42"));

        Assert.Equal("customer/profile/c-42.state", name);
    }

    [Fact]
    public void UnsafeCharactersAreEscapedAsUtf8Hex()
    {
        var name = BlobNames.For("profile", GrainId.Create("customer", "a/é."));

        Assert.Equal("customer/profile/a~2F~C3~A9~2E.state", name);
    }

    [Fact]
    public void OverlongNamesAreCutAndMadeUniqueByHash()
    {
        var a = BlobNames.For("s", GrainId.Create("t", new string('x', 2000) + "a"));
        var b = BlobNames.For("s", GrainId.Create("t", new string('x', 2000) + "b"));

        Assert.True(a.Length <= 1024);
        Assert.NotEqual(a, b);
    }
}
