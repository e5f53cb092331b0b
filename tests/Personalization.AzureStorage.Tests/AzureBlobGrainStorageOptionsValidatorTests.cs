using Personalization.AzureStorage.Storage;

namespace Personalization.AzureStorage.Tests;

public sealed class AzureBlobGrainStorageOptionsValidatorTests
{
    [Fact]
    public void AMissingConnectionStringIsNamed()
    {
        var validator = new AzureBlobGrainStorageOptionsValidator(new AzureBlobGrainStorageOptions(), "grains");

        var error = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);

        Assert.Contains("ConnectionString", error.Message);
        Assert.Contains("'grains'", error.Message);
    }

    [Fact]
    public void AMalformedConnectionStringIsNamed()
    {
        var options = new AzureBlobGrainStorageOptions { ConnectionString = "this is not a connection string" };

        var error = Assert.Throws<OrleansConfigurationException>(new AzureBlobGrainStorageOptionsValidator(options, "grains").ValidateConfiguration);

        Assert.Contains("ConnectionString is malformed", error.Message);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("ab")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("under_score")]
    public void AnIllegalContainerNameIsNamed(string container)
    {
        var options = new AzureBlobGrainStorageOptions { ConnectionString = "UseDevelopmentStorage=true", ContainerName = container };

        var error = Assert.Throws<OrleansConfigurationException>(new AzureBlobGrainStorageOptionsValidator(options, "grains").ValidateConfiguration);

        Assert.Contains("ContainerName", error.Message);
    }

    [Fact]
    public void TheDevelopmentStorageSettingsPass()
    {
        var options = new AzureBlobGrainStorageOptions { ConnectionString = "UseDevelopmentStorage=true" };

        new AzureBlobGrainStorageOptionsValidator(options, "grains").ValidateConfiguration();
    }
}
