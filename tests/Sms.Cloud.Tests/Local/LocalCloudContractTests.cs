using Sms.Cloud.Local;
using Sms.Cloud.Tests.Contract;

namespace Sms.Cloud.Tests.Local;

/// <summary>The provider contract, on a fresh local cloud directory per test.</summary>
public sealed class LocalCloudContractTests : CloudProviderContractTests
{
    private readonly TempDirectory _directory = new();

    protected override string AvailabilityZone => "local-1a";

    protected override string ServerImageId => LocalCloudProvider.NoImage;

    protected override async Task<ICloudProvider> CreateProviderAsync() => await LocalCloudProvider.OpenAsync(_directory.Path);

    protected override async Task DisposeProviderAsync(ICloudProvider provider)
    {
        await base.DisposeProviderAsync(provider);
        _directory.Dispose();
    }
}
