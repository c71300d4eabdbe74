using System.Text;
using Sms.Discovery;
using Sms.Fixups;
using Xunit.Abstractions;

namespace Sms.Agent.Hosting.Tests.Fixups;

public sealed class TargetFixupRunnerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-fixups-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TargetFixupRunner Runner(TargetFixupOptions? options = null)
        => new([new FstabByUuid(), new NetworkToDhcp(), new RemoveSourceCloudAgents(options?.Agents ?? (IEnumerable<SourceCloudAgent>)SourceCloudAgent.BuiltIn)], options);

    [Fact]
    public async Task RunAsync_MigratedDisks_AdaptsTheRootAndLeavesEverythingElse()
    {
        // Given
        var target = SampleTarget.Build(_dir);
        var untouchedBefore = SampleTarget.Untouched.Keys.ToDictionary(p => p, p => FixupTools.Cat(target.Disk0, target.RootOffset, p));
        var disk1Before = await File.ReadAllBytesAsync(target.Disk1);

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1], TargetCloud = "huaweicloud" });

        // Then: the report.
        Print(report);
        Assert.True(report.Adapted, string.Join("; ", report.Failed.Select(f => f.Error)));
        Assert.Equal(new TargetVolume { DiskIndex = 0, PartitionNumber = 1, ImagePath = target.Disk0, Offset = target.RootOffset, Length = 40L << 20, Kind = FileSystemKind.Ext4, Uuid = SampleTarget.RootUuid, Label = "root" }, report.Root);
        Assert.Equal(["fstab-by-uuid", "network-dhcp", "remove-source-cloud-agents"], report.Steps.Select(s => s.Step));
        Assert.Contains(report.Steps[0].Skipped, s => s.Path == "/etc/fstab" && s.Reason.Contains("/dev/sdc1", StringComparison.Ordinal));

        // Then: fstab and GRUB by UUID, backed up.
        Assert.Equal(SampleTarget.ExpectedFstab, target.Cat("/etc/fstab"));
        Assert.Equal(SampleTarget.Fstab, target.Cat("/etc/fstab.sms-backup"));
        Assert.Equal(SampleTarget.ExpectedGrubCfg, target.Cat("/boot/grub/grub.cfg"));
        Assert.Equal(SampleTarget.GrubCfg, target.Cat("/boot/grub/grub.cfg.sms-backup"));
        Assert.Equal("GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"net.ifnames=0\"\n", target.Cat("/etc/default/grub"));

        // Then: the network by DHCP, nothing bound to the source's MAC address.
        var netplan = target.Cat("/etc/netplan/50-cloud-init.yaml");
        Assert.Contains("      match:\n        name: \"e*\"\n      dhcp4: true\n", netplan, StringComparison.Ordinal);
        Assert.DoesNotContain("00:16:3e", netplan, StringComparison.Ordinal);
        Assert.Equal(SampleTarget.Netplan, target.Cat("/etc/netplan/50-cloud-init.yaml.sms-backup"));
        Assert.Equal(SampleTarget.ExpectedIfcfg, target.Cat("/etc/sysconfig/network-scripts/ifcfg-eth0"));
        Assert.Equal(SampleTarget.Ifcfg, target.Cat("/etc/sysconfig/network-scripts.sms-backup/ifcfg-eth0"));
        Assert.DoesNotContain(FixupTools.List(target.Disk0, target.RootOffset, "/etc/sysconfig/network-scripts").Keys, n => n.Contains("backup", StringComparison.Ordinal));
        Assert.Equal("NETWORKING=yes\n", target.Cat("/etc/sysconfig/network"));
        Assert.Equal(SampleTarget.ExpectedInterfaces, target.Cat("/etc/network/interfaces"));
        Assert.False(target.Exists("/etc/udev/rules.d/70-persistent-net.rules"));
        Assert.Equal(SampleTarget.PersistentNet, target.Cat("/etc/udev/rules.d/70-persistent-net.rules.sms-backup"));
        Assert.Equal(0xA1FF, FixupTools.List(target.Disk0, target.RootOffset, "/etc/udev/rules.d")["75-persistent-net-generator.rules"].Mode);

        // Then: Aegis no longer starts, its files and other services' links stay.
        Assert.False(target.Exists("/etc/systemd/system/multi-user.target.wants/aegis.service"));
        Assert.False(target.Exists("/etc/rc.d/rc3.d/S80aegis"));
        Assert.False(target.Exists("/etc/rc.d/rc0.d/K20aegis"));
        Assert.True(target.Exists("/etc/systemd/system/multi-user.target.wants/ssh.service"));
        Assert.True(target.Exists("/etc/rc.d/rc3.d/S10network"));

        // Then: modes, owners and labels kept; untouched files byte for byte; other disks untouched; file systems clean.
        var etcNetplan = FixupTools.List(target.Disk0, target.RootOffset, "/etc/netplan");
        Assert.Equal((0x8180, 0u, 0u), etcNetplan["50-cloud-init.yaml"]);
        Assert.Equal((0x8180, 0u, 0u), etcNetplan["50-cloud-init.yaml.sms-backup"]);
        Assert.Equal((0x81A0, 1000u, 1000u), FixupTools.List(target.Disk0, target.RootOffset, "/etc/sysconfig/network-scripts")["ifcfg-eth0"]);
        Assert.Contains("net_conf_t", Encoding.UTF8.GetString(FixupTools.Debugfs(target.Disk0, target.RootOffset, "ea_get /etc/sysconfig/network-scripts/ifcfg-eth0 security.selinux")), StringComparison.Ordinal);
        foreach (var (path, bytes) in untouchedBefore)
        {
            Assert.Equal(bytes, FixupTools.Cat(target.Disk0, target.RootOffset, path));
        }

        Assert.Equal(disk1Before, await File.ReadAllBytesAsync(target.Disk1));
        foreach (var (image, offset) in new[] { (target.Disk0, target.RootOffset), (target.Disk0, target.SrvOffset), (target.Disk1, target.DataOffset) })
        {
            var (exit, output) = FixupTools.Check(image, offset);
            Assert.True(exit == 0, output);
        }
    }

    [Fact]
    public async Task RunAsync_RootCopiedWhileRunning_ReplaysItsJournalFirstAndSaysSo()
    {
        // Given: the root's journal holds a committed transaction that changed /etc/hostname, not yet written back.
        var target = SampleTarget.Build(_dir);
        var header = Encoding.UTF8.GetString(FixupTools.Run("dumpe2fs", null, "-h", FixupTools.Spec(target.Disk0, target.RootOffset)));
        var blockSize = int.Parse(System.Text.RegularExpressions.Regex.Match(header, @"Block size:\s+([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var block = Encoding.ASCII.GetString(FixupTools.Debugfs(target.Disk0, target.RootOffset, "bmap /etc/hostname 0")).Trim();
        var logged = Path.Combine(_dir, "logged");
        var content = new byte[blockSize];
        Encoding.ASCII.GetBytes("web09\n").CopyTo(content, 0);
        await File.WriteAllBytesAsync(logged, content);
        FixupTools.DebugfsWrite(target.Disk0, target.RootOffset, "jo -c", $"jw -b {block} {logged}", "jc");

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1] });

        // Then
        Assert.True(report.Adapted);
        Assert.Equal("disk 0 partition 1: replayed 1 journal transaction(s) not yet written back, as the kernel would at mount", Assert.Single(report.Notes));
        Assert.Equal("web09\n", target.Cat("/etc/hostname"));
        Assert.Equal(SampleTarget.ExpectedFstab, target.Cat("/etc/fstab"));
        var (exit, output) = FixupTools.Check(target.Disk0, target.RootOffset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task RunAsync_SeparateBootPartition_RewritesGrubThereAndShowsItUnderBoot()
    {
        // Given: a RHEL-like disk, /boot on partition 1 (with grub2/grub.cfg), the root on partition 2.
        var boot = Directory.CreateDirectory(Path.Combine(_dir, "boot-tree", "grub2")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(boot, "grub2", "grub.cfg"), "menuentry 'RHEL' {\n\tlinux16 /vmlinuz root=/dev/vda2 ro crashkernel=auto\n}\n");
        var root = Directory.CreateDirectory(Path.Combine(_dir, "root-tree", "etc")).Parent!.FullName;
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "fstab"), "/dev/vda2 / ext4 defaults 1 1\n/dev/vda1 /boot ext4 defaults 1 2\n");
        var disk = FixupTools.CreateImage(Path.Combine(_dir, "rhel.img"), 48L << 20);
        var parts = FixupTools.Partition(disk, "label: dos\n,12M,83,*\n,32M,83\n");
        FixupTools.MakeExt4(disk, parts[0].Start, parts[0].Size, boot, "aaaaaaaa-1111-4222-8333-444444444444");
        FixupTools.MakeExt4(disk, parts[1].Start, parts[1].Size, root, "bbbbbbbb-5555-4666-8777-888888888888");

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [disk] });

        // Then
        Assert.True(report.Adapted);
        Assert.Equal(2, report.Root!.PartitionNumber);
        Assert.StartsWith("line 2: root=/dev/vda2 → root=UUID=bbbbbbbb-5555-4666-8777-888888888888", Assert.Single(report.Steps[0].Changes, c => c.Path == "/boot/grub2/grub.cfg").Detail, StringComparison.Ordinal);
        Assert.Equal("menuentry 'RHEL' {\n\tlinux16 /vmlinuz root=UUID=bbbbbbbb-5555-4666-8777-888888888888 ro crashkernel=auto\n}\n", FixupTools.CatText(disk, parts[0].Start, "/grub2/grub.cfg"));
        Assert.True(FixupTools.Exists(disk, parts[0].Start, "/grub2/grub.cfg.sms-backup"));
        Assert.Equal("UUID=bbbbbbbb-5555-4666-8777-888888888888 / ext4 defaults 1 1\nUUID=aaaaaaaa-1111-4222-8333-444444444444 /boot ext4 defaults 1 2\n", FixupTools.CatText(disk, parts[1].Start, "/etc/fstab"));
        foreach (var (start, _) in parts)
        {
            var (exit, output) = FixupTools.Check(disk, start);
            Assert.True(exit == 0, output);
        }
    }

    [Fact]
    public async Task RunAsync_Twice_ChangesNothingTheSecondTime()
    {
        // Given
        var target = SampleTarget.Build(_dir);
        var request = new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1] };
        await Runner().RunAsync(request);
        var after = await File.ReadAllBytesAsync(target.Disk0);

        // When
        var again = await Runner().RunAsync(request);

        // Then
        Assert.True(again.Adapted);
        Assert.All(again.Steps, s => Assert.Empty(s.Changes));
        Assert.Equal(after, await File.ReadAllBytesAsync(target.Disk0));
    }

    [Fact]
    public async Task RunAsync_AgentOfTheTargetsOwnCloud_IsLeftEnabled()
    {
        // Given
        var target = SampleTarget.Build(_dir);

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1], TargetCloud = SourceCloudAgent.Clouds.Alibaba });

        // Then
        Assert.True(target.Exists("/etc/systemd/system/multi-user.target.wants/aegis.service"));
        Assert.Contains(report.Steps[2].Skipped, s => s.Reason.Contains("alibaba-aegis belongs to alibaba", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DisabledStepAndUserStep_SkipsOneAndRunsTheOtherLast()
    {
        // Given
        var target = SampleTarget.Build(_dir);
        var options = new TargetFixupOptions();
        options.DisabledSteps.Add(NetworkToDhcp.StepName);
        var runner = new TargetFixupRunner([new FstabByUuid(), new NetworkToDhcp(), new MotdFixup()], options);

        // When
        var report = await runner.RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1] });

        // Then
        Assert.Equal(["fstab-by-uuid", "network-dhcp", "motd"], report.Steps.Select(s => s.Step));
        Assert.Equal("disabled by the options", Assert.Single(report.Steps[1].Skipped).Reason);
        Assert.True(target.Exists("/etc/udev/rules.d/70-persistent-net.rules"));
        Assert.Equal("Migrated by Sms.\n", target.Cat("/etc/motd"));
        Assert.Equal(FixupAction.Created, Assert.Single(report.Steps[2].Changes).Action);
    }

    [Fact]
    public async Task RunAsync_StepThatFails_IsReportedAndTheOthersStillRun()
    {
        // Given
        var target = SampleTarget.Build(_dir);
        var runner = new TargetFixupRunner([new FailingFixup(), new FstabByUuid()]);

        // When
        var report = await runner.RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1] });

        // Then
        Assert.False(report.Adapted);
        var failed = Assert.Single(report.Failed);
        Assert.Equal("failing", failed.Step);
        Assert.StartsWith("SDK.0017: Cannot write '/etc/not/a/dir/file'", failed.Error, StringComparison.Ordinal);
        Assert.Single(failed.Changes);
        Assert.Equal(SampleTarget.ExpectedFstab, target.Cat("/etc/fstab"));
    }

    [Fact]
    public async Task RunAsync_MountedRoot_AdaptsTheDirectoryTheSameWay()
    {
        // Given: the same root as a directory (as if mounted), and the disks for the device-to-UUID map.
        var target = SampleTarget.Build(_dir);
        var mounted = SampleTarget.WriteRootTree(Path.Combine(_dir, "mounted"));

        // When
        var report = await Runner().RunAsync(new DirectoryTargetFileSystem(mounted), new TargetFixupRequest { VolumeImages = [target.Disk0, target.Disk1] });

        // Then
        Assert.True(report.Adapted, string.Join("; ", report.Failed.Select(f => f.Error)));
        Assert.Equal(SampleTarget.ExpectedFstab, await File.ReadAllTextAsync(mounted + "/etc/fstab"));
        Assert.Equal(SampleTarget.ExpectedIfcfg, await File.ReadAllTextAsync(mounted + "/etc/sysconfig/network-scripts/ifcfg-eth0"));
        Assert.False(File.Exists(mounted + "/etc/udev/rules.d/70-persistent-net.rules"));
        Assert.False(File.Exists(mounted + "/etc/systemd/system/multi-user.target.wants/aegis.service"));
        Assert.True(File.Exists(mounted + "/usr/local/aegis/globalcfg/domaincfg.ini"));
    }

    [Fact]
    public async Task RunAsync_BtrfsRootOnly_IsReportedNotAdaptedWithTheReason()
    {
        // Given: a disk whose only partition is btrfs.
        var disk = FixupTools.CreateImage(Path.Combine(_dir, "btrfs-disk.img"), 130L << 20);
        var parts = FixupTools.Partition(disk, "label: gpt\n,120M,L\n");
        var btrfs = FixupTools.CreateImage(Path.Combine(_dir, "btrfs.img"), parts[0].Size);
        FixupTools.Run("mkfs.btrfs", null, "-q", "-f", btrfs);
        CopySparse(btrfs, disk, parts[0].Start);

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [disk] });

        // Then
        Assert.False(report.Adapted);
        Assert.Empty(report.Steps);
        Assert.Equal(FileSystemKind.Btrfs, Assert.Single(report.Volumes).Kind);
        var reason = Assert.Single(report.NotAdapted);
        Assert.Contains("no ext2/3/4 file system with /etc/fstab", reason, StringComparison.Ordinal);
        Assert.Contains("disk 0 partition 1: btrfs", reason, StringComparison.Ordinal);
        Assert.Contains("DirectoryTargetFileSystem", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ExtWithoutFstab_IsReportedNotAdapted()
    {
        // Given
        var disk = FixupTools.CreateImage(Path.Combine(_dir, "data-only.img"), 12L << 20);
        var parts = FixupTools.Partition(disk, "label: dos\n,8M,83\n");
        FixupTools.MakeExt4(disk, parts[0].Start, parts[0].Size, null, "11111111-2222-4333-8444-555555555555");

        // When
        var report = await Runner().RunAsync(new TargetFixupRequest { VolumeImages = [disk] });

        // Then
        Assert.False(report.Adapted);
        Assert.Contains("disk 0 partition 1: ext4 without /etc/fstab", Assert.Single(report.NotAdapted), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DebugfsMissing_FailsWithAClearError()
    {
        // Given
        var target = SampleTarget.Build(_dir);
        var options = new TargetFixupOptions { DebugfsPath = Path.Combine(_dir, "bin", "debugfs") };

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => Runner(options).RunAsync(new TargetFixupRequest { VolumeImages = [target.Disk0] }));

        // Then
        Assert.Equal(SmsErrorCode.ToolNotFound, error.ErrorCode);
        Assert.Contains("install e2fsprogs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingImage_FailsNamingIt()
    {
        // Given
        var missing = Path.Combine(_dir, "nope.img");

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => Runner().RunAsync(new TargetFixupRequest { VolumeImages = [missing] }));

        // Then
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private void Print(TargetFixupReport report)
    {
        foreach (var step in report.Steps)
        {
            output.WriteLine($"{step.Step}{(step.Error is null ? string.Empty : " FAILED: " + step.Error)}");
            foreach (var change in step.Changes)
            {
                output.WriteLine($"  {change.Action} {change.Path}: {change.Detail}");
            }

            foreach (var skip in step.Skipped)
            {
                output.WriteLine($"  left {skip.Path}: {skip.Reason}");
            }
        }
    }

    private static void CopySparse(string source, string target, long offset)
    {
        using var input = File.OpenRead(source);
        using var output = new FileStream(target, FileMode.Open, FileAccess.Write);
        var buffer = new byte[1 << 16];
        long position = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                output.Position = offset + position;
                output.Write(buffer, 0, read);
            }

            position += read;
        }
    }

    /// <summary>A user's step: writes /etc/motd.</summary>
    private sealed class MotdFixup : ITargetFixup
    {
        public string Name => "motd";

        public async Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken)
        {
            await context.Root.WriteTextAsync("/etc/motd", "Migrated by Sms.\n", cancellationToken: cancellationToken);
            context.RecordChange("/etc/motd", FixupAction.Created, "a message of the day");
            return context.ToResult(Name);
        }
    }

    /// <summary>A step that changes something, then fails.</summary>
    private sealed class FailingFixup : ITargetFixup
    {
        public string Name => "failing";

        public async Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken)
        {
            await context.Root.WriteTextAsync("/etc/issue", "Sms\n", cancellationToken: cancellationToken);
            context.RecordChange("/etc/issue", FixupAction.Created, "written before the failure");
            await context.Root.WriteTextAsync("/etc/not/a/dir/file", "x", cancellationToken: cancellationToken);
            return context.ToResult(Name);
        }
    }
}
