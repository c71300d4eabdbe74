namespace Sms.Fixups;

/// <summary>The Unix-only file calls of the fix-ups, each guarded (the fix-ups adapt Linux targets from a Linux host).</summary>
internal static class UnixFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Options that create a new file (never an existing one, nor through a link) readable by its owner only.</summary>
    /// <returns>The options.</returns>
    public static FileStreamOptions CreateNewPrivate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }

    /// <summary>Sets permission bits (chmod, following links).</summary>
    /// <param name="path">The host path.</param>
    /// <param name="mode">0 to 07777.</param>
    public static void SetMode(string path, int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix permissions cannot be set on Windows.");
        }

        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    /// <summary>Creates a directory that only its owner can use until its mode is set.</summary>
    /// <param name="path">The host path.</param>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly | UnixFileMode.UserExecute);
    }
}
