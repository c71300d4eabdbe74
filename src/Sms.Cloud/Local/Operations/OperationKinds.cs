namespace Sms.Cloud.Local.Operations;

/// <summary>The kinds of operation rows, and of the values some produce.</summary>
internal static class OperationKinds
{
    public const string CreateServer = "create_server";
    public const string DeleteServer = "delete_server";
    public const string StartServer = "start_server";
    public const string StopServer = "stop_server";
    public const string AttachVolume = "attach_volume";
    public const string DetachVolume = "detach_volume";
    public const string CreateVolume = "create_volume";
    public const string ExtendVolume = "extend_volume";
    public const string DeleteVolume = "delete_volume";
    public const string CreateSnapshot = "create_snapshot";
    public const string DeleteSnapshot = "delete_snapshot";
    public const string RollbackSnapshot = "rollback_snapshot";
    public const string CreateImage = "create_image";

    public const string ServerValue = "server";
    public const string VolumeValue = "volume";
    public const string SnapshotValue = "snapshot";
    public const string ImageValue = "image";

    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCESS";
    public const string Failed = "FAIL";
}
