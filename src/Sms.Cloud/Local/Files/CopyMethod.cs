namespace Sms.Cloud.Local.Files;

/// <summary>How a volume, snapshot or image file was copied.</summary>
internal enum CopyMethod
{
    /// <summary>A copy-on-write clone (FICLONE): instant, sharing blocks until either side changes.</summary>
    Reflink,

    /// <summary>A copy of the data ranges only, skipping holes and all-zero blocks, so the copy stays sparse.</summary>
    SparseCopy,
}
