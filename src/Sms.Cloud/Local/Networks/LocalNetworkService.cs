using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Networks;

/// <summary>
/// VPCs, subnets and security groups as records: CIDRs are validated as a cloud would (a subnet inside its VPC and
/// overlapping no other subnet of it, the gateway inside the subnet), and nothing in use can be deleted.
/// </summary>
internal sealed partial class LocalNetworkService : INetworkService
{
    private const int MinVpcPrefix = 8;
    private const int MaxVpcPrefix = 28;
    private const int MaxSubnetPrefix = 29;

    private readonly LocalCloudContext _context;

    /// <summary>Creates the service.</summary>
    public LocalNetworkService(LocalCloudContext context) => _context = context;

    /// <inheritdoc/>
    public async Task<CloudVpc> CreateVpcAsync(string name, string cidr, CancellationToken cancellationToken = default)
    {
        LocalValidation.Name(name, "VPC");
        if (!Ipv4Cidr.TryParse(cidr, out var range) || range.PrefixLength is < MinVpcPrefix or > MaxVpcPrefix)
        {
            throw LocalCloudErrors.Invalid($"The VPC CIDR '{cidr}' is not an IPv4 network with a prefix of /{MinVpcPrefix} to /{MaxVpcPrefix} and zero host bits.");
        }

        var vpc = new CloudVpc(Guid.NewGuid().ToString(), name, range.ToString());
        await _context.Store.WriteAsync(
            (c, t) => Sql.ExecuteAsync(
                c,
                t,
                "INSERT INTO vpcs (id, name, cidr, created_at) VALUES ($id, $name, $cidr, $now);",
                cancellationToken,
                ("$id", vpc.Id),
                ("$name", vpc.Name),
                ("$cidr", vpc.Cidr),
                ("$now", LocalCloudStore.FormatTime(_context.Now))),
            cancellationToken).ConfigureAwait(false);
        return vpc;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CloudVpc>> ListVpcsAsync(CancellationToken cancellationToken = default)
        => await _context.Store.ReadAsync(
            (c, t) => Sql.QueryAsync(c, t, "SELECT id, name, cidr FROM vpcs ORDER BY rowid;", r => new CloudVpc(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DeleteVpcAsync(string vpcId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(vpcId, nameof(vpcId));
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                await RequireVpcAsync(c, t, vpcId, cancellationToken).ConfigureAwait(false);
                var subnets = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM subnets WHERE vpc_id = $id;", cancellationToken, ("$id", vpcId)).ConfigureAwait(false);
                var groups = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM security_groups WHERE vpc_id = $id;", cancellationToken, ("$id", vpcId)).ConfigureAwait(false);
                if (subnets + groups > 0)
                {
                    throw LocalCloudErrors.Conflict($"VPC '{vpcId}' still has {subnets} subnet(s) and {groups} security group(s): delete them first.");
                }

                return await Sql.ExecuteAsync(c, t, "DELETE FROM vpcs WHERE id = $id;", cancellationToken, ("$id", vpcId)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<CloudSubnet> CreateSubnetAsync(string vpcId, string name, string cidr, string gatewayIp, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(vpcId, nameof(vpcId));
        LocalValidation.Name(name, "subnet");
        if (!Ipv4Cidr.TryParse(cidr, out var range) || range.PrefixLength > MaxSubnetPrefix)
        {
            throw LocalCloudErrors.Invalid($"The subnet CIDR '{cidr}' is not an IPv4 network of at most /{MaxSubnetPrefix} with zero host bits.");
        }

        if (!Ipv4Cidr.TryParseAddress(gatewayIp, out var gateway) || !range.Contains(gateway) || gateway == range.Network || gateway == range.Broadcast)
        {
            throw LocalCloudErrors.Invalid($"The gateway '{gatewayIp}' is not a host address inside the subnet {range}.");
        }

        var subnet = new CloudSubnet(Guid.NewGuid().ToString(), vpcId, name, range.ToString(), Ipv4Cidr.FormatAddress(gateway));
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var vpc = await RequireVpcAsync(c, t, vpcId, cancellationToken).ConfigureAwait(false);
                if (!Ipv4Cidr.TryParse(vpc.Cidr, out var vpcRange) || !vpcRange.Contains(range))
                {
                    throw LocalCloudErrors.Invalid($"The subnet {range} is not inside the VPC's {vpc.Cidr}.");
                }

                var siblings = await Sql.QueryAsync(c, t, "SELECT id, cidr FROM subnets WHERE vpc_id = $vpc;", r => (Id: r.GetString(0), Cidr: r.GetString(1)), cancellationToken, ("$vpc", vpcId)).ConfigureAwait(false);
                foreach (var sibling in siblings)
                {
                    if (Ipv4Cidr.TryParse(sibling.Cidr, out var other) && other.Overlaps(range))
                    {
                        throw LocalCloudErrors.Conflict($"The subnet {range} overlaps subnet '{sibling.Id}' ({sibling.Cidr}) of the VPC.");
                    }
                }

                return await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO subnets (id, vpc_id, name, cidr, gateway_ip, created_at) VALUES ($id, $vpc, $name, $cidr, $gateway, $now);",
                    cancellationToken,
                    ("$id", subnet.Id),
                    ("$vpc", vpcId),
                    ("$name", name),
                    ("$cidr", subnet.Cidr),
                    ("$gateway", subnet.GatewayIp),
                    ("$now", LocalCloudStore.FormatTime(_context.Now))).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return subnet;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CloudSubnet>> ListSubnetsAsync(string vpcId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(vpcId, nameof(vpcId));
        return await _context.Store.ReadAsync(
            async (c, t) =>
            {
                await RequireVpcAsync(c, t, vpcId, cancellationToken).ConfigureAwait(false);
                return await Sql.QueryAsync(
                    c,
                    t,
                    "SELECT id, vpc_id, name, cidr, gateway_ip FROM subnets WHERE vpc_id = $vpc ORDER BY rowid;",
                    r => new CloudSubnet(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
                    cancellationToken,
                    ("$vpc", vpcId)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteSubnetAsync(string vpcId, string subnetId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(vpcId, nameof(vpcId));
        LocalValidation.Id(subnetId, nameof(subnetId));
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var found = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM subnets WHERE id = $id AND vpc_id = $vpc;", cancellationToken, ("$id", subnetId), ("$vpc", vpcId)).ConfigureAwait(false);
                if (found == 0)
                {
                    throw LocalCloudErrors.NotFound("subnet", subnetId);
                }

                var servers = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM servers WHERE subnet_id = $id;", cancellationToken, ("$id", subnetId)).ConfigureAwait(false);
                if (servers > 0)
                {
                    throw LocalCloudErrors.Conflict($"Subnet '{subnetId}' is used by {servers} server(s): delete them first.");
                }

                return await Sql.ExecuteAsync(c, t, "DELETE FROM subnets WHERE id = $id;", cancellationToken, ("$id", subnetId)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CloudVpc> RequireVpcAsync(SqliteConnection connection, SqliteTransaction transaction, string vpcId, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, "SELECT id, name, cidr FROM vpcs WHERE id = $id;", r => new CloudVpc(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken, ("$id", vpcId)).ConfigureAwait(false);
        return rows.Count == 0 ? throw LocalCloudErrors.NotFound("VPC", vpcId) : rows[0];
    }
}
