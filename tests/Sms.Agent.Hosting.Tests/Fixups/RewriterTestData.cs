using Sms.Discovery;
using Sms.Fixups;
using Sms.Fixups.Rewriters;

namespace Sms.Agent.Hosting.Tests.Fixups;

/// <summary>Target volumes as the runner would find them: disk 0 GPT with root, data and swap; disk 1 MBR with one ext4; disk 2 unpartitioned ext4; disk 3 with an LVM PV.</summary>
internal static class RewriterTestData
{
    public const string RootUuid = "7c0c8a38-1f3b-4c3e-9d42-0a1b2c3d4e5f";
    public const string SrvUuid = "1e1e1e1e-2f2f-4a4a-8b8b-3c3c3c3c3c3c";
    public const string SwapUuid = "5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e";
    public const string DataUuid = "0d0d0d0d-1e1e-4f2f-8a3a-4b4b4b4b4b4b";
    public const string WholeUuid = "9f9f9f9f-8e8e-4d7d-9c6c-5b5b5b5b5b5b";

    public static IReadOnlyList<TargetVolume> Volumes { get; } =
    [
        Volume(0, 1, FileSystemKind.Ext4, RootUuid, "root"),
        Volume(0, 2, FileSystemKind.Ext4, SrvUuid, null),
        Volume(0, 3, FileSystemKind.Swap, SwapUuid, null),
        Volume(1, 1, FileSystemKind.Ext4, DataUuid, "data"),
        Volume(2, 0, FileSystemKind.Ext4, WholeUuid, null),
        Volume(3, 1, FileSystemKind.LvmPhysicalVolume, "AbCdEf-1234-5678-9abc-def0-1234-567890", null),
        Volume(3, 2, FileSystemKind.Unknown, null, null),
    ];

    public static DeviceMap Map(IReadOnlyDictionary<string, int>? aliases = null) => new(Volumes, aliases ?? new Dictionary<string, int>());

    private static TargetVolume Volume(int disk, int partition, FileSystemKind kind, string? uuid, string? label) => new()
    {
        DiskIndex = disk,
        PartitionNumber = partition,
        ImagePath = $"/var/lib/sms/disk{disk}.img",
        Offset = partition * (1L << 20),
        Length = 1L << 20,
        Kind = kind,
        Uuid = uuid,
        Label = label,
    };
}
