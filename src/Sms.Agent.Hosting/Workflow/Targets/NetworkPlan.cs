using System.Net;

namespace Sms.Workflow.Targets;

/// <summary>
/// The network a new target gets when none is given, as the seeds choose it from the source's address:
/// 192.168.x.x → 192.168.0.0/16, 172.16–31.x.x → 172.16.0.0/12, 10.x.x.x → 10.0.0.0/8 (others: 192.168.0.0/16),
/// with a /24 subnet at the start of the range.
/// </summary>
internal static class NetworkPlan
{
    /// <summary>The VPC CIDR, subnet CIDR and gateway for a source address.</summary>
    public static (string Vpc, string Subnet, string Gateway) For(string? sourceAddress)
    {
        if (sourceAddress is not null && IPAddress.TryParse(sourceAddress, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            if (b[0] == 10)
            {
                return ("10.0.0.0/8", "10.0.0.0/24", "10.0.0.1");
            }

            if (b[0] == 172 && b[1] is >= 16 and <= 31)
            {
                return ("172.16.0.0/12", "172.16.0.0/24", "172.16.0.1");
            }
        }

        return ("192.168.0.0/16", "192.168.0.0/24", "192.168.0.1");
    }

    /// <summary>The seeds' security group ports: 8899, 8900 and 22 for Windows; 8900 and 22 for Linux block level; 22 for Linux file level.</summary>
    public static IReadOnlyList<int> Ports(string osType, bool blockLevel)
        => string.Equals(osType, "WINDOWS", StringComparison.OrdinalIgnoreCase) ? [8899, 8900, 22] : blockLevel ? [8900, 22] : [22];
}
