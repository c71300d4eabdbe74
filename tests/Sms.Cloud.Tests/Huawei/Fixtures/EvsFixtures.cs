namespace Sms.Cloud.Tests.Huawei.Fixtures;

/// <summary>
/// Recorded EVS bodies in the shapes of the public API reference (C4; Go SDK model_create_volume_option.go,
/// model_volume_detail.go, model_snapshot_details.go, model_job_entities.go, model_rollback_info.go). Error codes in
/// them are illustrative: the stored reference lists none for EVS.
/// </summary>
internal static class EvsFixtures
{
    public const string CreateVolumeRequest = """
        {
          "volume": {
            "availability_zone": "cn-north-4a",
            "volume_type": "SSD",
            "size": 100,
            "name": "sms-disk-1"
          }
        }
        """;

    public const string CreateVolumeResponse = """
        { "job_id": "ff8080814f3a1ba1014f3a7a48d10011" }
        """;

    public const string JobSucceeded = """
        {
          "status": "SUCCESS",
          "entities": { "volume_type": "SSD", "size": 100, "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", "name": "sms-disk-1" },
          "job_id": "ff8080814f3a1ba1014f3a7a48d10011",
          "job_type": "createVolume",
          "begin_time": "2016-08-18T02:58:46.209Z",
          "end_time": "2016-08-18T02:59:12.441Z",
          "error_code": null,
          "fail_reason": null
        }
        """;

    public const string ShowVolumeResponse = """
        {
          "volume": {
            "id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f",
            "links": [ { "href": "https://evs.cn-north-4.myhuaweicloud.com/v2/0605767a3300d5762fb7c0186d9e1779/os-vendor-volumes/9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", "rel": "self" } ],
            "name": "sms-disk-1",
            "status": "in-use",
            "attachments": [
              {
                "server_id": "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11",
                "attachment_id": "1e9b5c2d-0f3a-4b6c-8d7e-9f0a1b2c3d4e",
                "attached_at": "2016-08-18T03:00:01.000000",
                "host_name": null,
                "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f",
                "device": "/dev/vdb",
                "id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f"
              }
            ],
            "availability_zone": "cn-north-4a",
            "os-vol-host-attr:host": "pod01.cn-north-4a#SSD",
            "source_volid": null,
            "snapshot_id": null,
            "description": "",
            "created_at": "2016-08-18T02:58:46.209000",
            "os-vol-tenant-attr:tenant_id": "0605767a3300d5762fb7c0186d9e1779",
            "volume_image_metadata": {},
            "volume_type": "SSD",
            "size": 100,
            "consistencygroup_id": null,
            "bootable": "false",
            "metadata": { "hw:passthrough": "false" },
            "updated_at": "2016-08-18T03:00:01.000000",
            "encrypted": false,
            "replication_status": "disabled",
            "os-volume-replication:extended_status": null,
            "os-vol-mig-status-attr:migstat": null,
            "os-vol-mig-status-attr:name_id": null,
            "shareable": false,
            "user_id": "054ea6c2e0ab2b1c1f2bc01e4bb26f2b",
            "service_type": "EVS",
            "multiattach": false,
            "tags": {},
            "wwn": "688860300000d136fa16f48f05992000",
            "enterprise_project_id": "0"
          }
        }
        """;

    public const string ExtendVolumeRequest = """
        { "os-extend": { "new_size": 150 } }
        """;

    public const string CreateSnapshotRequest = """
        { "snapshot": { "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", "force": true, "name": "sms-sync-1" } }
        """;

    public const string ShowSnapshotResponse = """
        {
          "snapshot": {
            "id": "b836dc3d-4e10-4ea4-a34c-8f6b0460a583",
            "status": "available",
            "name": "sms-sync-1",
            "description": null,
            "created_at": "2016-02-16T16:54:14.981520",
            "updated_at": "2016-02-16T16:54:19.475397",
            "metadata": {},
            "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f",
            "size": 100,
            "os-extended-snapshot-attributes:project_id": "0605767a3300d5762fb7c0186d9e1779",
            "os-extended-snapshot-attributes:progress": "100%"
          }
        }
        """;

    public const string RollbackRequest = """
        { "rollback": { "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f" } }
        """;

    public const string RollbackResponse = """
        { "rollback": { "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f" } }
        """;

    public const string JobFailed = """
        {
          "status": "FAIL",
          "entities": {},
          "job_id": "ff8080814f3a1ba1014f3a7a48d10011",
          "job_type": "createVolume",
          "begin_time": "2016-08-18T02:58:46.209Z",
          "end_time": "2016-08-18T02:59:01.000Z",
          "error_code": "EVS.5400",
          "fail_reason": "The volume type SSD is sold out in cn-north-4a."
        }
        """;

    /// <summary>Cinder-style fault for a missing snapshot.</summary>
    public const string SnapshotNotFound = """
        { "itemNotFound": { "message": "Snapshot b836dc3d-0000 could not be found.", "code": 404 } }
        """;
}
