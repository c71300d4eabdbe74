using Sms.Discovery;

namespace Sms.Migration;

/// <summary>What a task migrates: the source server's disks (block level) or its file tree (file level), and the server itself.</summary>
public sealed record MigrationSource
{
    /// <summary>The source disks in order (devices such as <c>/dev/sda</c>, or image files); the first is the system disk.</summary>
    /// <value>Empty for a file-level task.</value>
    public IReadOnlyList<string> Disks { get; init; } = [];

    /// <summary>The directory a file-level task copies (<c>/</c> for a whole live system).</summary>
    /// <value><see langword="null"/> for a block-level task.</value>
    public string? RootDirectory { get; init; }

    /// <summary>The source server as the target must fit it: CPUs, memory, firmware, address, OS.</summary>
    /// <value>Taken from the host inventory when the task is created.</value>
    public required SourceServer Server { get; init; }
}

/// <summary>The source server's shape, which a target must fit.</summary>
public sealed record SourceServer
{
    /// <summary>The host name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The OS type (<c>LINUX</c>, <c>WINDOWS</c>), as the seeds check it for an existing target.</summary>
    /// <value>Default <c>LINUX</c>.</value>
    public string OsType { get; init; } = "LINUX";

    /// <summary>The OS name and version.</summary>
    /// <value>For example "Debian GNU/Linux 12 (bookworm)".</value>
    public string? OperatingSystem { get; init; }

    /// <summary>The CPU architecture.</summary>
    /// <value>For example <c>x86_64</c>.</value>
    public string Architecture { get; init; } = "x86_64";

    /// <summary>How it boots; the target must boot the same way.</summary>
    /// <value>BIOS or UEFI.</value>
    public FirmwareType Firmware { get; init; }

    /// <summary>The logical CPU count, for the target's flavor.</summary>
    /// <value>At least 1.</value>
    public int CpuCount { get; init; } = 1;

    /// <summary>The memory in MiB, for the target's flavor.</summary>
    /// <value>At least 1.</value>
    public int MemoryMiB { get; init; } = 1024;

    /// <summary>The primary IPv4 address, from which a new target network's CIDR is chosen as the seeds do.</summary>
    /// <value>An address, or <see langword="null"/> when unknown.</value>
    public string? IpAddress { get; init; }

    /// <summary>The size of each source disk in bytes, in disk order.</summary>
    /// <value>Empty for a file-level task.</value>
    public IReadOnlyList<long> DiskSizes { get; init; } = [];
}
