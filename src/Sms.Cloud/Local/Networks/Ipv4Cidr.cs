using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sms.Cloud.Local.Networks;

/// <summary>An IPv4 address range in CIDR notation, with the arithmetic VPC and subnet validation needs.</summary>
/// <param name="Network">The first address, as a number.</param>
/// <param name="PrefixLength">The prefix length, 0–32.</param>
internal readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    /// <summary>The netmask.</summary>
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>The last address.</summary>
    public uint Broadcast => Network | ~Mask;

    /// <summary>Parses <c>a.b.c.d/n</c>; the host bits must be zero.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr)
    {
        cidr = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !TryParseAddress(text![..slash], out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix > 32)
        {
            return false;
        }

        cidr = new Ipv4Cidr(address, prefix);
        return (address & ~cidr.Mask) == 0;
    }

    /// <summary>Parses a dotted-quad IPv4 address (exactly four parts).</summary>
    public static bool TryParseAddress(string? text, out uint address)
    {
        address = 0;
        if (text is null || text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = BinaryPrimitives.ReadUInt32BigEndian(parsed.GetAddressBytes());
        return true;
    }

    /// <summary>Formats an address.</summary>
    public static string FormatAddress(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    /// <summary>Whether an address is in the range.</summary>
    public bool Contains(uint address) => (address & Mask) == Network;

    /// <summary>Whether another range lies wholly inside this one.</summary>
    public bool Contains(Ipv4Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    /// <summary>Whether two ranges share an address.</summary>
    public bool Overlaps(Ipv4Cidr other) => Contains(other.Network) || other.Contains(Network);

    /// <summary>The canonical text.</summary>
    public override string ToString() => FormatAddress(Network) + "/" + PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
