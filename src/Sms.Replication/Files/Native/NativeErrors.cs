using System.Diagnostics.CodeAnalysis;

namespace Sms.Files.Native;

/// <summary>Turns failed calls into typed errors that name the path and the cause.</summary>
internal static class NativeErrors
{
    [DoesNotReturn]
    public static void ThrowSource(string what, ReadOnlySpan<char> path, int errno)
        => throw Source(what, path, errno);

    public static SmsException Source(string what, ReadOnlySpan<char> path, int errno)
        => new(SmsErrorCode.SourceReadFailed, $"Cannot {what} '{RawPath.Display(path)}' on the source: {Errno.Describe(errno)}.");

    [DoesNotReturn]
    public static void ThrowTarget(string what, ReadOnlySpan<char> path, int errno)
        => throw Target(what, path, errno);

    public static SmsException Target(string what, ReadOnlySpan<char> path, int errno)
        => new(
            errno is Errno.ENOSPC or Errno.EDQUOT ? SmsErrorCode.NoSpace : SmsErrorCode.TargetWriteFailed,
            $"Cannot {what} '{RawPath.Display(path)}' on the target: {Errno.Describe(errno)}.");
}
