using Sms.Cloud.Huawei.Http;

namespace Sms.Cloud.Huawei.Operations;

/// <summary>The kinds of long-running operations, and which service each one is polled on.</summary>
internal static class HuaweiOperationKinds
{
    // Jobs (GET /v1/{project_id}/jobs/{job_id} on the service's endpoint).
    public const string CreateServer = "create-server";
    public const string DeleteServer = "delete-server";
    public const string StartServer = "start-server";
    public const string StopServer = "stop-server";
    public const string AttachVolume = "attach-volume";
    public const string DetachVolume = "detach-volume";
    public const string CreateVolume = "create-volume";
    public const string ExtendVolume = "extend-volume";
    public const string DeleteVolume = "delete-volume";
    public const string CreateImage = "create-image";

    // Resource polls (the resource's status is read until it settles).
    public const string ServerReady = "server-ready";
    public const string VolumeReady = "volume-ready";
    public const string SnapshotCreate = "snapshot-create";
    public const string SnapshotDelete = "snapshot-delete";
    public const string SnapshotRollback = "snapshot-rollback";

    private static readonly Dictionary<string, string> s_serviceByKind = new(StringComparer.Ordinal)
    {
        [CreateServer] = HuaweiServices.Ecs,
        [DeleteServer] = HuaweiServices.Ecs,
        [StartServer] = HuaweiServices.Ecs,
        [StopServer] = HuaweiServices.Ecs,
        [AttachVolume] = HuaweiServices.Ecs,
        [DetachVolume] = HuaweiServices.Ecs,
        [ServerReady] = HuaweiServices.Ecs,
        [CreateVolume] = HuaweiServices.Evs,
        [ExtendVolume] = HuaweiServices.Evs,
        [DeleteVolume] = HuaweiServices.Evs,
        [VolumeReady] = HuaweiServices.Evs,
        [SnapshotCreate] = HuaweiServices.Evs,
        [SnapshotDelete] = HuaweiServices.Evs,
        [SnapshotRollback] = HuaweiServices.Evs,
        [CreateImage] = HuaweiServices.Ims,
    };

    public static bool IsKnown(string service, string kind) =>
        s_serviceByKind.TryGetValue(kind, out string? expected) && string.Equals(expected, service, StringComparison.Ordinal);

    public static string ServiceOf(string kind) => s_serviceByKind[kind];

    /// <summary>The SDK code when the operation fails for a reason other than a quota.</summary>
    public static SmsErrorCode? FailureCodeOf(string kind) => kind switch
    {
        CreateServer or ServerReady => SmsErrorCode.CreateServerFailed,
        CreateVolume or VolumeReady => SmsErrorCode.CreateDiskFailed,
        _ => null,
    };
}
