namespace Sms.Migration;

/// <summary>How a task moves the source (Huawei SMS task type).</summary>
public enum MigrationKind
{
    /// <summary>Every disk, block by block: only the blocks a file system has allocated (SMS <c>MIGRATE_BLOCK</c>).</summary>
    Block = 0,

    /// <summary>Every file of a directory tree with its metadata (SMS <c>MIGRATE_FILE</c>).</summary>
    File = 1,
}
