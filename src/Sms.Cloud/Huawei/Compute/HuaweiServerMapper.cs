using System.Globalization;
using System.Text.Json;
using Sms.Cloud.Huawei.Json;
using Sms.Discovery;

namespace Sms.Cloud.Huawei.Compute;

/// <summary>Maps ECS server and flavor shapes to the SDK's models.</summary>
internal static class HuaweiServerMapper
{
    public static CloudServer ToServer(EcsServer server)
    {
        IReadOnlyDictionary<string, string> metadata = server.Metadata ?? new Dictionary<string, string>();
        var volumes = new List<VolumeAttachment>();
        foreach (EcsVolumeAttached attached in server.VolumesAttached ?? [])
        {
            if (string.IsNullOrEmpty(attached.Id))
            {
                continue;
            }

            int? bootIndex = int.TryParse(attached.BootIndex, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 ? index : null;
            volumes.Add(new VolumeAttachment(attached.Id, attached.Device ?? string.Empty, bootIndex));
        }

        // System disk first, then data disks by device name.
        volumes.Sort(static (a, b) =>
        {
            int byBoot = (a.BootIndex ?? int.MaxValue).CompareTo(b.BootIndex ?? int.MaxValue);
            return byBoot != 0 ? byBoot : string.CompareOrdinal(a.Device, b.Device);
        });

        var addresses = new List<string>();
        foreach (KeyValuePair<string, IReadOnlyList<EcsServerAddress>> network in server.Addresses ?? new Dictionary<string, IReadOnlyList<EcsServerAddress>>())
        {
            foreach (EcsServerAddress address in network.Value ?? [])
            {
                if (!string.IsNullOrEmpty(address.Addr))
                {
                    addresses.Add(address.Addr);
                }
            }
        }

        var userMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in metadata)
        {
            if (!HuaweiClientTokens.IsReserved(pair.Key))
            {
                userMetadata[pair.Key] = pair.Value;
            }
        }

        return new CloudServer
        {
            Id = server.Id ?? string.Empty,
            Name = server.Name ?? string.Empty,
            Status = new CloudResourceStatus(server.Status ?? "UNKNOWN"),
            FlavorId = server.Flavor?.Id,
            AvailabilityZone = server.AvailabilityZone,
            Firmware = metadata.TryGetValue(HuaweiClientTokens.FirmwareKey, out string? firmware) && string.Equals(firmware, "uefi", StringComparison.OrdinalIgnoreCase)
                ? FirmwareType.Uefi
                : FirmwareType.Bios,
            Volumes = volumes,
            Addresses = addresses,
            Metadata = userMetadata,
            Locked = server.Locked,
        };
    }

    public static CloudFlavor ToFlavor(EcsFlavor flavor)
    {
        int vcpus = flavor.Vcpus.ValueKind switch
        {
            JsonValueKind.Number when flavor.Vcpus.TryGetInt32(out int n) => n,
            JsonValueKind.String when int.TryParse(flavor.Vcpus.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) => n,
            _ => 0,
        };
        return new CloudFlavor(flavor.Id ?? string.Empty, vcpus, flavor.Ram);
    }

    public static string? ClientTokenOf(EcsServer server) =>
        server.Metadata is { } metadata && metadata.TryGetValue(HuaweiClientTokens.MetadataKey, out string? token) ? token : null;
}
