using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Networks;

/// <summary>Security groups and their rules (rules are normalized: lower-case direction and protocol, port ranges in order, canonical CIDRs).</summary>
internal sealed partial class LocalNetworkService
{
    /// <inheritdoc/>
    public async Task<CloudSecurityGroup> CreateSecurityGroupAsync(string name, string? vpcId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Name(name, "security group");
        var group = new CloudSecurityGroup(Guid.NewGuid().ToString(), name, vpcId, []);
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                if (vpcId is not null)
                {
                    await RequireVpcAsync(c, t, vpcId, cancellationToken).ConfigureAwait(false);
                }

                return await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO security_groups (id, name, vpc_id, created_at) VALUES ($id, $name, $vpc, $now);",
                    cancellationToken,
                    ("$id", group.Id),
                    ("$name", name),
                    ("$vpc", vpcId),
                    ("$now", LocalCloudStore.FormatTime(_context.Now))).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return group;
    }

    /// <inheritdoc/>
    public async Task AddSecurityGroupRuleAsync(string securityGroupId, SecurityGroupRule rule, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(securityGroupId, nameof(securityGroupId));
        ArgumentNullException.ThrowIfNull(rule);
        var normalized = Normalize(rule);
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var found = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM security_groups WHERE id = $id;", cancellationToken, ("$id", securityGroupId)).ConfigureAwait(false);
                if (found == 0)
                {
                    throw LocalCloudErrors.NotFound("security group", securityGroupId);
                }

                var existing = await ReadRulesAsync(c, t, securityGroupId, cancellationToken).ConfigureAwait(false);
                if (existing.Contains(normalized))
                {
                    throw LocalCloudErrors.Conflict($"Security group '{securityGroupId}' already has the rule {Describe(normalized)}.", "rule.exists");
                }

                return await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO security_group_rules (group_id, direction, protocol, port_min, port_max, remote_cidr) VALUES ($group, $direction, $protocol, $min, $max, $remote);",
                    cancellationToken,
                    ("$group", securityGroupId),
                    ("$direction", normalized.Direction),
                    ("$protocol", normalized.Protocol),
                    ("$min", normalized.PortMin),
                    ("$max", normalized.PortMax),
                    ("$remote", normalized.RemoteCidr)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CloudSecurityGroup>> ListSecurityGroupsAsync(string? vpcId = null, CancellationToken cancellationToken = default)
        => await _context.Store.ReadAsync(
            async (c, t) =>
            {
                var groups = vpcId is null
                    ? await Sql.QueryAsync(c, t, "SELECT id, name, vpc_id FROM security_groups ORDER BY rowid;", MapGroup, cancellationToken).ConfigureAwait(false)
                    : await Sql.QueryAsync(c, t, "SELECT id, name, vpc_id FROM security_groups WHERE vpc_id = $vpc ORDER BY rowid;", MapGroup, cancellationToken, ("$vpc", vpcId)).ConfigureAwait(false);
                var result = new List<CloudSecurityGroup>(groups.Count);
                foreach (var (id, name, vpc) in groups)
                {
                    result.Add(new CloudSecurityGroup(id, name, vpc, await ReadRulesAsync(c, t, id, cancellationToken).ConfigureAwait(false)));
                }

                return result;
            },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(securityGroupId, nameof(securityGroupId));
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var found = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM security_groups WHERE id = $id;", cancellationToken, ("$id", securityGroupId)).ConfigureAwait(false);
                if (found == 0)
                {
                    throw LocalCloudErrors.NotFound("security group", securityGroupId);
                }

                var servers = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM server_security_groups WHERE group_id = $id;", cancellationToken, ("$id", securityGroupId)).ConfigureAwait(false);
                if (servers > 0)
                {
                    throw LocalCloudErrors.Conflict($"Security group '{securityGroupId}' is used by {servers} server(s).");
                }

                return await Sql.ExecuteAsync(c, t, "DELETE FROM security_groups WHERE id = $id;", cancellationToken, ("$id", securityGroupId)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static Task<List<SecurityGroupRule>> ReadRulesAsync(SqliteConnection connection, SqliteTransaction transaction, string groupId, CancellationToken cancellationToken)
        => Sql.QueryAsync(
            connection,
            transaction,
            "SELECT direction, protocol, port_min, port_max, remote_cidr FROM security_group_rules WHERE group_id = $group ORDER BY id;",
            r => new SecurityGroupRule(r.GetString(0), r.TextOrNull(1), r.IntOrNull(2), r.IntOrNull(3), r.GetString(4)),
            cancellationToken,
            ("$group", groupId));

    private static (string Id, string Name, string? VpcId) MapGroup(SqliteDataReader r) => (r.GetString(0), r.GetString(1), r.TextOrNull(2));

    private static SecurityGroupRule Normalize(SecurityGroupRule rule)
    {
        var direction = rule.Direction?.ToUpperInvariant() switch
        {
            "INGRESS" => "ingress",
            "EGRESS" => "egress",
            _ => throw LocalCloudErrors.Invalid($"The rule direction '{rule.Direction}' is neither ingress nor egress."),
        };
        var protocol = rule.Protocol?.ToUpperInvariant() switch
        {
            null => null,
            "TCP" => "tcp",
            "UDP" => "udp",
            "ICMP" => "icmp",
            _ => throw LocalCloudErrors.Invalid($"The rule protocol '{rule.Protocol}' is not tcp, udp, icmp or any."),
        };
        if (rule.PortMin is not null || rule.PortMax is not null)
        {
            if (protocol is not ("tcp" or "udp"))
            {
                throw LocalCloudErrors.Invalid("Ports can only be given for tcp and udp rules.");
            }

            var min = rule.PortMin ?? rule.PortMax!.Value;
            var max = rule.PortMax ?? min;
            if (min is < 1 or > 65535 || max is < 1 or > 65535 || min > max)
            {
                throw LocalCloudErrors.Invalid($"The port range {rule.PortMin}-{rule.PortMax} is not within 1-65535 in order.");
            }

            rule = rule with { PortMin = min, PortMax = max };
        }

        var slash = rule.RemoteCidr?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !IPNetwork.TryParse(rule.RemoteCidr, out var remote)
            || !IPAddress.TryParse(rule.RemoteCidr.AsSpan(0, slash), out var address)
            || !address.Equals(remote.BaseAddress))
        {
            throw LocalCloudErrors.Invalid($"The remote CIDR '{rule.RemoteCidr}' is not a network with zero host bits.");
        }

        return rule with { Direction = direction, Protocol = protocol, RemoteCidr = remote.ToString() };
    }

    private static string Describe(SecurityGroupRule rule)
        => string.Create(CultureInfo.InvariantCulture, $"{rule.Direction} {rule.Protocol ?? "any"} {rule.PortMin}-{rule.PortMax} {rule.RemoteCidr}");
}
