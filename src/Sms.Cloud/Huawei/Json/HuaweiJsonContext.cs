using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

/// <summary>
/// Source-generated JSON for every Huawei request and response body. Names are explicit per property (the APIs mix
/// snake_case, camelCase and <c>OS-EXT-…:</c> names); nulls are left out; numbers may arrive as strings.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(EcsCreateServerRequest))]
[JsonSerializable(typeof(HuaweiJobAccepted))]
[JsonSerializable(typeof(EcsServerResponse))]
[JsonSerializable(typeof(EcsServerListResponse))]
[JsonSerializable(typeof(EcsBatchActionRequest))]
[JsonSerializable(typeof(EcsAttachVolumeRequest))]
[JsonSerializable(typeof(EcsDeleteServersRequest))]
[JsonSerializable(typeof(EcsLockActionRequest))]
[JsonSerializable(typeof(EcsFlavorListResponse))]
[JsonSerializable(typeof(EvsCreateVolumeRequest))]
[JsonSerializable(typeof(EvsVolumeResponse))]
[JsonSerializable(typeof(EvsVolumeListResponse))]
[JsonSerializable(typeof(EvsExtendRequest))]
[JsonSerializable(typeof(EvsCreateSnapshotRequest))]
[JsonSerializable(typeof(EvsSnapshotResponse))]
[JsonSerializable(typeof(EvsSnapshotListResponse))]
[JsonSerializable(typeof(EvsRollbackRequest))]
[JsonSerializable(typeof(EvsRollbackResponse))]
[JsonSerializable(typeof(VpcCreateRequest))]
[JsonSerializable(typeof(VpcResponse))]
[JsonSerializable(typeof(VpcListResponse))]
[JsonSerializable(typeof(SubnetCreateRequest))]
[JsonSerializable(typeof(SubnetResponse))]
[JsonSerializable(typeof(SubnetListResponse))]
[JsonSerializable(typeof(SecurityGroupCreateRequest))]
[JsonSerializable(typeof(SecurityGroupResponse))]
[JsonSerializable(typeof(SecurityGroupListResponse))]
[JsonSerializable(typeof(SecurityGroupRuleCreateRequest))]
[JsonSerializable(typeof(SecurityGroupRuleResponse))]
[JsonSerializable(typeof(ImsCreateImageRequest))]
[JsonSerializable(typeof(ImsImageListResponse))]
[JsonSerializable(typeof(HuaweiJob))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class HuaweiJsonContext : JsonSerializerContext
{
}
