namespace Sms.Files;

/// <summary>The seeds' default exclusion lists for file-level migration of a Linux server.</summary>
public static class FileExclusions
{
    /// <summary>
    /// Pseudo and volatile file systems of a live Linux root: <c>/proc/*</c>, <c>/sys/*</c>, <c>/dev/*</c>, <c>/run/*</c>,
    /// <c>/tmp/*</c>, <c>/lost+found/*</c>, <c>/var/lib/ntp/proc/*</c>. The directories themselves are kept, empty.
    /// </summary>
    /// <value>The patterns.</value>
    public static IReadOnlyList<string> LiveRoot { get; } = ["/proc/*", "/sys/*", "/dev/*", "/run/*", "/tmp/*", "/lost+found/*", "/var/lib/ntp/proc/*"];

    /// <summary>
    /// The seeds' built-in sync exclusions (<c>rsync.exclude.dir</c>), which keep a launched target's cloud-adapted
    /// configuration (<c>/etc</c>, <c>/boot</c>, kernel modules) from being overwritten by later syncs. Not applied unless
    /// given in <see cref="FileReplicationSettings.ExcludeFromSync"/>.
    /// </summary>
    /// <value>The patterns.</value>
    public static IReadOnlyList<string> SeedSyncDefaults { get; } =
    [
        "/proc/*", "/sys/*", "/lost+found/*", "/tmp/_MEI*", "/var/lib/ntp/proc/*", "/boot/*", "/boot/efi/*", "/etc/fstab",
        "/etc/*", "/etc/X11/*", "/root/.initrd_bak*", "/lib/modules/*", "/boot/grub2/x86_64-efi/*", "/boot/grub2/i386-pc/*",
    ];
}
