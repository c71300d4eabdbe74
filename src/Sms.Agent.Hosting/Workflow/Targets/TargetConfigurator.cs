using Sms.Cloud;
using Sms.Cloud.Local;
using Sms.Discovery;
using Sms.Discovery.Checks;
using Sms.Migration;

namespace Sms.Workflow.Targets;

/// <summary>
/// Configures a task's target: checks an existing server (disk count and sizes, firmware, OS type) or creates one
/// that fits the source — network reused or created, flavor from the source's CPUs and memory, a disk per source disk
/// at least as large, the same firmware — recording every resource it creates before relying on it. A re-run after a
/// crash finds what the first run created (by client token and name) instead of creating it twice.
/// </summary>
internal sealed class TargetConfigurator
{
    private const int MaxDataDisks = 23;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly ICloudProvider _cloud;
    private readonly TimeProvider _time;
    private readonly Func<TrackedResource, CancellationToken, Task> _track;

    public TargetConfigurator(ICloudProvider cloud, TimeProvider time, Func<TrackedResource, CancellationToken, Task> track)
    {
        _cloud = cloud;
        _time = time;
        _track = track;
    }

    public async Task<(MigrationTarget Target, IReadOnlyList<CheckFinding> Findings)> ConfigureAsync(MigrationTask task, TargetSpec spec, CancellationToken cancellationToken)
    {
        if (task.Kind == MigrationKind.Block && task.Source.Server.DiskSizes.Count - 1 > MaxDataDisks)
        {
            throw new SmsException(SmsErrorCode.TooManyDisks, $"The source has {task.Source.Server.DiskSizes.Count - 1} data disks; a target takes at most {MaxDataDisks}.");
        }

        return spec.ExistingServerId is { } existing
            ? await UseExistingAsync(task, existing, cancellationToken).ConfigureAwait(false)
            : (await CreateAsync(task, spec, cancellationToken).ConfigureAwait(false), []);
    }

    private async Task<(MigrationTarget, IReadOnlyList<CheckFinding>)> UseExistingAsync(MigrationTask task, string serverId, CancellationToken cancellationToken)
    {
        var server = await _cloud.Compute.GetServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        var volumes = Ordered(server);
        var sizes = new List<long>(volumes.Count);
        foreach (var attachment in volumes)
        {
            var volume = await _cloud.Volumes.GetVolumeAsync(attachment.VolumeId, cancellationToken).ConfigureAwait(false);
            sizes.Add((long)volume.SizeGiB << 30);
        }

        var source = task.Source.Server;
        var findings = new List<CheckFinding>(FeasibilityChecks.CheckTarget(source.Firmware, task.Kind == MigrationKind.Block ? source.DiskSizes : [], new TargetServerDescription(server.Firmware, sizes)));
        if (server.Metadata.TryGetValue("os_type", out var osType) && !string.Equals(osType, source.OsType, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new CheckFinding(SmsErrorCode.InvalidState, CheckSeverity.Error, $"The target runs {osType}, the source {source.OsType}: the OS type must be the same.", "Choose a target with the source's OS type, or create one during the migration."));
        }

        if (task.Kind == MigrationKind.File && volumes.Count == 0)
        {
            findings.Add(new CheckFinding(SmsErrorCode.TargetDiskTooSmall, CheckSeverity.Error, "The target server has no disk.", "Attach a system disk to the target."));
        }

        foreach (var finding in findings)
        {
            if (finding.Severity == CheckSeverity.Error)
            {
                throw new SmsException(finding.Code, $"Server '{serverId}' cannot be the target: {finding.Message} {finding.Fix}");
            }
        }

        var count = task.Kind == MigrationKind.Block ? source.DiskSizes.Count : 1;
        var target = new MigrationTarget
        {
            Provider = _cloud.Name,
            ServerId = server.Id,
            VolumeIds = Ids(volumes, count),
            CreatedByTask = false,
            AvailabilityZone = server.AvailabilityZone,
            FlavorId = server.FlavorId,
            Firmware = server.Firmware,
        };
        return (target, findings);
    }

    private async Task<MigrationTarget> CreateAsync(MigrationTask task, TargetSpec spec, CancellationToken cancellationToken)
    {
        var source = task.Source.Server;
        var zone = spec.AvailabilityZone ?? (_cloud as LocalCloudProvider)?.AvailabilityZones[0]
            ?? throw new ArgumentException("Say which availability zone the new target goes in.", nameof(spec));
        var (vpcId, subnetId, groupId) = await NetworkAsync(task, spec, cancellationToken).ConfigureAwait(false);
        var flavor = await FlavorAsync(spec.FlavorId, zone, source, cancellationToken).ConfigureAwait(false);
        var disks = DiskSizes(task, spec);
        var image = spec.ImageId ?? (_cloud is LocalCloudProvider ? LocalCloudProvider.NoImage : throw new ArgumentException("Say which image the new target's system disk starts from (the provider's migration helper image).", nameof(spec)));
        var create = await _cloud.Compute.StartCreateServerAsync(
            new ServerSpec
            {
                Name = spec.ServerName ?? $"{task.Name}-target",
                FlavorId = flavor,
                ImageId = image,
                AvailabilityZone = zone,
                VpcId = vpcId,
                SubnetId = subnetId,
                SecurityGroupIds = [groupId],
                SystemDiskGiB = disks[0],
                DataDiskGiB = disks.Count > 1 ? disks.GetRange(1, disks.Count - 1) : [],
                Firmware = source.Firmware,
                Metadata = new Dictionary<string, string> { ["sms.task"] = task.Id, ["os_type"] = source.OsType },
                ClientToken = $"sms-{task.Id}-target{task.TargetGeneration}",
            },
            cancellationToken).ConfigureAwait(false);
        var server = await create.WaitForValueAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
        await _track(new TrackedResource(TrackedResourceKind.Server, server.Id, ResourcePurpose.Target, _cloud.Name), cancellationToken).ConfigureAwait(false);

        // Nothing runs on the target's disks while they are written: it stays stopped until launched.
        if (server.Status == CloudResourceStatus.Active)
        {
            await (await _cloud.Compute.StartStopServerAsync(server.Id, cancellationToken).ConfigureAwait(false)).WaitForCompletionAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
        }

        return new MigrationTarget
        {
            Provider = _cloud.Name,
            ServerId = server.Id,
            VolumeIds = Ids(Ordered(server), disks.Count),
            CreatedByTask = true,
            AvailabilityZone = zone,
            VpcId = vpcId,
            SubnetId = subnetId,
            SecurityGroupId = groupId,
            FlavorId = flavor,
            Firmware = source.Firmware,
        };
    }

    private async Task<(string Vpc, string Subnet, string Group)> NetworkAsync(MigrationTask task, TargetSpec spec, CancellationToken cancellationToken)
    {
        var name = $"sms-{task.Id}";
        var (vpcCidr, subnetCidr, gateway) = NetworkPlan.For(task.Source.Server.IpAddress);
        var vpcId = spec.VpcId;
        if (vpcId is null)
        {
            var vpcs = await _cloud.Networks.ListVpcsAsync(cancellationToken).ConfigureAwait(false);
            vpcId = Find(vpcs, v => v.Name == name)?.Id;
            if (vpcId is null)
            {
                vpcId = (await _cloud.Networks.CreateVpcAsync(name, vpcCidr, cancellationToken).ConfigureAwait(false)).Id;
            }

            await _track(new TrackedResource(TrackedResourceKind.Vpc, vpcId, ResourcePurpose.Target, _cloud.Name), cancellationToken).ConfigureAwait(false);
        }

        var subnetId = spec.SubnetId;
        if (subnetId is null)
        {
            var subnets = await _cloud.Networks.ListSubnetsAsync(vpcId, cancellationToken).ConfigureAwait(false);
            subnetId = Find(subnets, s => s.Name == name)?.Id;
            if (subnetId is null)
            {
                subnetId = (await _cloud.Networks.CreateSubnetAsync(vpcId, name, subnetCidr, gateway, cancellationToken).ConfigureAwait(false)).Id;
            }

            await _track(new TrackedResource(TrackedResourceKind.Subnet, subnetId, ResourcePurpose.Target, _cloud.Name, vpcId), cancellationToken).ConfigureAwait(false);
        }

        var groupId = spec.SecurityGroupId;
        if (groupId is null)
        {
            var groups = await _cloud.Networks.ListSecurityGroupsAsync(vpcId, cancellationToken).ConfigureAwait(false);
            var group = Find(groups, g => g.Name == name);
            if (group is null)
            {
                group = await _cloud.Networks.CreateSecurityGroupAsync(name, vpcId, cancellationToken).ConfigureAwait(false);
            }

            await _track(new TrackedResource(TrackedResourceKind.SecurityGroup, group.Id, ResourcePurpose.Target, _cloud.Name, vpcId), cancellationToken).ConfigureAwait(false);
            var from = task.Source.Server.IpAddress is { } ip ? ip + "/32" : "0.0.0.0/0";
            foreach (var port in NetworkPlan.Ports(task.Source.Server.OsType, task.Kind == MigrationKind.Block))
            {
                var rule = new SecurityGroupRule("ingress", "tcp", port, port, from);
                if (!Contains(group.Rules, rule))
                {
                    await _cloud.Networks.AddSecurityGroupRuleAsync(group.Id, rule, cancellationToken).ConfigureAwait(false);
                }
            }

            groupId = group.Id;
        }

        return (vpcId, subnetId, groupId);
    }

    private async Task<string> FlavorAsync(string? wanted, string zone, SourceServer source, CancellationToken cancellationToken)
    {
        if (wanted is not null)
        {
            return wanted;
        }

        var flavors = await _cloud.Compute.ListFlavorsAsync(zone, cancellationToken).ConfigureAwait(false);
        CloudFlavor? best = null;
        CloudFlavor? largest = null;
        foreach (var flavor in flavors)
        {
            if (flavor.Vcpus >= source.CpuCount && flavor.MemoryMiB >= source.MemoryMiB
                && (best is null || flavor.Vcpus < best.Vcpus || (flavor.Vcpus == best.Vcpus && flavor.MemoryMiB < best.MemoryMiB)))
            {
                best = flavor;
            }

            if (largest is null || flavor.Vcpus > largest.Vcpus || (flavor.Vcpus == largest.Vcpus && flavor.MemoryMiB > largest.MemoryMiB))
            {
                largest = flavor;
            }
        }

        return (best ?? largest ?? throw new SmsException(SmsErrorCode.CreateServerFailed, $"The zone '{zone}' offers no flavor.")).Id;
    }

    private static List<int> DiskSizes(MigrationTask task, TargetSpec spec)
    {
        var sources = task.Kind == MigrationKind.Block ? task.Source.Server.DiskSizes : [];
        var count = Math.Max(1, Math.Max(sources.Count, spec.DiskGiB.Count));
        var sizes = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            var needed = i < sources.Count ? (int)((sources[i] + (1L << 30) - 1) >> 30) : 1;
            var asked = i < spec.DiskGiB.Count ? spec.DiskGiB[i] : 0;
            if (asked != 0 && asked < needed)
            {
                throw new SmsException(SmsErrorCode.TargetDiskTooSmall, $"Target disk {i} of {asked} GiB is smaller than its source disk ({needed} GiB).");
            }

            sizes.Add(Math.Max(needed, asked));
        }

        return sizes;
    }

    private static List<VolumeAttachment> Ordered(CloudServer server)
    {
        var list = new List<VolumeAttachment>(server.Volumes);
        list.Sort(static (a, b) => (a.BootIndex ?? int.MaxValue).CompareTo(b.BootIndex ?? int.MaxValue) is var byBoot and not 0 ? byBoot : string.CompareOrdinal(a.Device, b.Device));
        return list;
    }

    private static List<string> Ids(List<VolumeAttachment> volumes, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count && i < volumes.Count; i++)
        {
            ids.Add(volumes[i].VolumeId);
        }

        return ids;
    }

    private static T? Find<T>(IReadOnlyList<T> items, Func<T, bool> match)
        where T : class
    {
        foreach (var item in items)
        {
            if (match(item))
            {
                return item;
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<SecurityGroupRule> rules, SecurityGroupRule rule)
    {
        foreach (var existing in rules)
        {
            if (existing == rule)
            {
                return true;
            }
        }

        return false;
    }
}
