namespace Sms.Cloud.Local;

/// <summary>The file format of the local cloud's images.</summary>
public enum LocalImageFormat
{
    /// <summary>Raw disk images (<c>images/ID.img</c>), sparse.</summary>
    Raw,

    /// <summary>qcow2 (<c>images/ID.qcow2</c>) through <c>qemu-img convert</c> when it is installed; raw otherwise.</summary>
    Qcow2,
}
