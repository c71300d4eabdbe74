namespace Sms.Discovery;

/// <summary>How a server boots. Source and target must match.</summary>
public enum FirmwareType
{
    /// <summary>Legacy BIOS.</summary>
    Bios = 0,

    /// <summary>UEFI.</summary>
    Uefi = 1,
}
