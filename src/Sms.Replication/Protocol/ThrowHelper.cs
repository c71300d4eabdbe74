using System.Diagnostics.CodeAnalysis;

namespace Sms.Protocol;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowFrameTooLarge(long length, int max)
        => throw new ReplicationProtocolException(SmsErrorCode.FrameTooLarge, $"Frame payload of {length} bytes exceeds the limit of {max} bytes.");

    [DoesNotReturn]
    public static void ThrowUnknownFrameType(byte type)
        => throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unknown frame type {type}.");

    [DoesNotReturn]
    public static void ThrowBadHeader(string what)
        => throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Malformed frame header: {what}.");

    [DoesNotReturn]
    public static void ThrowBadPreamble(string what)
        => throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Not a replication peer: {what}.");
}
