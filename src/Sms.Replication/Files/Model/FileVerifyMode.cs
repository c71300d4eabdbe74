namespace Sms.Files;

/// <summary>How a file-level pass checks the target against the source afterwards.</summary>
public enum FileVerifyMode
{
    /// <summary>No verification.</summary>
    None = 0,

    /// <summary>Every entry exists with the same kind; regular files have the same size and modification time.</summary>
    Quick = 1,

    /// <summary>As <see cref="Quick"/>, and both sides hash every regular file (XXH128) and symbolic link target.</summary>
    Full = 2,
}
