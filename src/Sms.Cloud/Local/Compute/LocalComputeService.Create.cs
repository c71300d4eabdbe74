using System.Globalization;
using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Images;
using Sms.Cloud.Local.Networks;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Compute;

/// <summary>Creating a server: the checks, the records, the address, the disks.</summary>
internal sealed partial class LocalComputeService
{
    private void Validate(ServerSpec spec)
    {
        LocalValidation.Name(spec.Name, "server");
        if (LocalFlavors.Find(spec.FlavorId) is null)
        {
            throw LocalCloudErrors.NotFound("flavor", spec.FlavorId);
        }

        if (!_context.HasZone(spec.AvailabilityZone))
        {
            throw LocalCloudErrors.Invalid($"The availability zone '{spec.AvailabilityZone}' does not exist; the local cloud has {string.Join(", ", _context.AvailabilityZones)}.");
        }

        LocalValidation.SizeGiB(spec.SystemDiskGiB, "system disk");
        foreach (var size in spec.DataDiskGiB)
        {
            LocalValidation.SizeGiB(size, "data disk");
        }

        if (spec.DataDiskGiB.Count > DeviceNames.MaxDataDisks)
        {
            throw LocalCloudErrors.Invalid($"A server can have at most {DeviceNames.MaxDataDisks} data disks, not {spec.DataDiskGiB.Count}.");
        }

        LocalValidation.Id(spec.ImageId, nameof(spec.ImageId));
        LocalValidation.Id(spec.VpcId, nameof(spec.VpcId));
        LocalValidation.Id(spec.SubnetId, nameof(spec.SubnetId));
    }

    // Checks the subnet (in the VPC) and the security groups, and picks the server's address.
    private static async Task<string> PlanNetworkAsync(SqliteConnection connection, SqliteTransaction transaction, ServerSpec spec, CancellationToken cancellationToken)
    {
        var subnets = await Sql.QueryAsync(
            connection,
            transaction,
            "SELECT vpc_id, cidr, gateway_ip FROM subnets WHERE id = $id;",
            r => (VpcId: r.GetString(0), Cidr: r.GetString(1), Gateway: r.GetString(2)),
            cancellationToken,
            ("$id", spec.SubnetId)).ConfigureAwait(false);
        if (subnets.Count == 0)
        {
            throw LocalCloudErrors.NotFound("subnet", spec.SubnetId);
        }

        var subnet = subnets[0];
        if (!string.Equals(subnet.VpcId, spec.VpcId, StringComparison.Ordinal))
        {
            throw LocalCloudErrors.Invalid($"Subnet '{spec.SubnetId}' belongs to VPC '{subnet.VpcId}', not '{spec.VpcId}'.");
        }

        foreach (var groupId in spec.SecurityGroupIds)
        {
            var groups = await Sql.QueryAsync(connection, transaction, "SELECT vpc_id FROM security_groups WHERE id = $id;", r => r.TextOrNull(0), cancellationToken, ("$id", groupId)).ConfigureAwait(false);
            if (groups.Count == 0)
            {
                throw LocalCloudErrors.NotFound("security group", groupId);
            }

            if (groups[0] is { } groupVpc && !string.Equals(groupVpc, spec.VpcId, StringComparison.Ordinal))
            {
                throw LocalCloudErrors.Invalid($"Security group '{groupId}' belongs to VPC '{groupVpc}', not '{spec.VpcId}'.");
            }
        }

        var used = (await Sql.QueryAsync(connection, transaction, "SELECT address FROM servers WHERE subnet_id = $id;", r => r.GetString(0), cancellationToken, ("$id", spec.SubnetId)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        _ = Ipv4Cidr.TryParse(subnet.Cidr, out var range);
        _ = Ipv4Cidr.TryParseAddress(subnet.Gateway, out var gateway);
        for (var address = range.Network + 1; address < range.Broadcast; address++)
        {
            var text = Ipv4Cidr.FormatAddress(address);
            if (address != gateway && !used.Contains(text))
            {
                return text;
            }
        }

        throw LocalCloudErrors.QuotaExceeded($"Subnet '{spec.SubnetId}' ({subnet.Cidr}) has no free address left.");
    }

    private async Task InsertServerAsync(SqliteConnection c, SqliteTransaction t, ServerSpec spec, string serverId, string address, List<(string Id, int SizeGiB)> disks, CancellationToken cancellationToken)
    {
        var now = LocalCloudStore.FormatTime(_context.Now);
        await Sql.ExecuteAsync(
            c,
            t,
            """
            INSERT INTO servers (id, name, status, flavor_id, availability_zone, firmware, image_id, vpc_id, subnet_id, address, locked, metadata, created_at)
            VALUES ($id, $name, 'BUILD', $flavor, $zone, $firmware, $image, $vpc, $subnet, $address, 0, $metadata, $now);
            """,
            cancellationToken,
            ("$id", serverId),
            ("$name", spec.Name),
            ("$flavor", spec.FlavorId),
            ("$zone", spec.AvailabilityZone),
            ("$firmware", (int)spec.Firmware),
            ("$image", spec.ImageId),
            ("$vpc", spec.VpcId),
            ("$subnet", spec.SubnetId),
            ("$address", address),
            ("$metadata", LocalJson.Write(spec.Metadata)),
            ("$now", now)).ConfigureAwait(false);
        for (var i = 0; i < disks.Count; i++)
        {
            var (volumeId, sizeGiB) = disks[i];
            await Sql.ExecuteAsync(
                c,
                t,
                """
                INSERT INTO volumes (id, name, size_gib, status, availability_zone, volume_type, snapshot_id, created_at) VALUES ($id, $name, $size, 'creating', $zone, NULL, NULL, $now);
                INSERT INTO attachments (volume_id, server_id, device, boot_index) VALUES ($id, $server, $device, $boot);
                """,
                cancellationToken,
                ("$id", volumeId),
                ("$name", i == 0 ? spec.Name + "-system" : spec.Name + "-data" + i.ToString(CultureInfo.InvariantCulture)),
                ("$size", sizeGiB),
                ("$zone", spec.AvailabilityZone),
                ("$now", now),
                ("$server", serverId),
                ("$device", i == 0 ? DeviceNames.SystemDisk : DeviceNames.DataDisk(i - 1)),
                ("$boot", i == 0 ? 0 : null)).ConfigureAwait(false);
        }

        for (var i = 0; i < spec.SecurityGroupIds.Count; i++)
        {
            await Sql.ExecuteAsync(
                c,
                t,
                "INSERT OR IGNORE INTO server_security_groups (server_id, group_id, position) VALUES ($server, $group, $position);",
                cancellationToken,
                ("$server", serverId),
                ("$group", spec.SecurityGroupIds[i]),
                ("$position", i)).ConfigureAwait(false);
        }
    }

    private async Task BuildDisksAsync(ImageRecord? image, List<(string Id, int SizeGiB)> disks, string systemPartial, CancellationToken cancellationToken)
    {
        var systemPath = _context.Paths.Volume(disks[0].Id);
        var systemBytes = (long)disks[0].SizeGiB << 30;
        if (image is null)
        {
            FileCloner.CreateSparse(systemPath, systemBytes);
        }
        else if (image.Format == "qcow2")
        {
            var qemuImg = _context.QemuImgPath ?? throw new IOException($"Image '{image.Id}' is qcow2 and qemu-img is not installed to convert it.");
            await QemuImg.ConvertAsync(qemuImg, "qcow2", "raw", _context.Paths.Image(image.Id, image.Format), systemPartial, cancellationToken).ConfigureAwait(false);
            FileCloner.Grow(systemPartial, systemBytes);
        }
        else
        {
            await _context.CopyAsync(_context.Paths.Image(image.Id, image.Format), systemPartial, systemBytes, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (volumeId, sizeGiB) in disks.Skip(1))
        {
            FileCloner.CreateSparse(_context.Paths.Volume(volumeId), (long)sizeGiB << 30);
        }
    }
}
