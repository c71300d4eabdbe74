using System.Diagnostics.CodeAnalysis;

namespace Sms.Cloud.Huawei.Operations;

/// <summary>
/// The persistable id of a Huawei operation: <c>{service}:{kind}:{id}</c>, where the id is a job id for job-based
/// operations (<c>ecs:create-server:4010a32c…</c>) and a resource id for operations that poll a resource
/// (<c>evs:snapshot-create:2bce…</c>). It carries everything needed to resume the operation after a restart.
/// </summary>
/// <param name="Service">The service whose endpoint is polled.</param>
/// <param name="Kind">What the operation does (<see cref="HuaweiOperationKinds"/>).</param>
/// <param name="ResourceId">The job or resource id.</param>
internal readonly record struct HuaweiOperationId(string Service, string Kind, string ResourceId)
{
    public override string ToString() => $"{Service}:{Kind}:{ResourceId}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out HuaweiOperationId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string[] parts = text.Split(':', 3);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0
            || !HuaweiOperationKinds.IsKnown(parts[0], parts[1]))
        {
            return false;
        }

        id = new HuaweiOperationId(parts[0], parts[1], parts[2]);
        return true;
    }
}
