namespace Sms.Discovery.Partitions;

/// <summary>Why a copy of the GPT (a header and its entry array) cannot be used.</summary>
internal enum GptProblem
{
    /// <summary>The copy is valid.</summary>
    None = 0,

    /// <summary>No "EFI PART" signature.</summary>
    NoSignature,

    /// <summary>The header size is below 92 or above the sector.</summary>
    BadHeaderSize,

    /// <summary>The header CRC32 does not match.</summary>
    HeaderCrcMismatch,

    /// <summary>The header does not say it is where it was read from.</summary>
    WrongLba,

    /// <summary>The usable LBA range is empty or beyond the disk.</summary>
    BadUsableRange,

    /// <summary>The entry size is not 128 × 2^n, or the array is larger than the reader accepts.</summary>
    BadEntryGeometry,

    /// <summary>The entry array lies outside the disk or over the header.</summary>
    EntriesOutOfPlace,

    /// <summary>The entry array CRC32 does not match.</summary>
    EntriesCrcMismatch,
}
