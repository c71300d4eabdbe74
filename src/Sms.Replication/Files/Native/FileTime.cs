namespace Sms.Files.Native;

/// <summary>A file time with nanoseconds, as the kernel keeps it.</summary>
/// <param name="Seconds">Seconds since the epoch.</param>
/// <param name="Nanoseconds">0–999,999,999.</param>
internal readonly record struct FileTime(long Seconds, uint Nanoseconds) : IComparable<FileTime>
{
    public int CompareTo(FileTime other)
        => Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    public static bool operator <(FileTime left, FileTime right) => left.CompareTo(right) < 0;

    public static bool operator >(FileTime left, FileTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(FileTime left, FileTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(FileTime left, FileTime right) => left.CompareTo(right) >= 0;

    public FileNative.Timespec ToTimespec() => new() { Seconds = Seconds, Nanoseconds = Nanoseconds };
}
