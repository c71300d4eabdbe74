namespace Sms.Cloud.Tests.Huawei.Fixtures;

/// <summary>Recorded IMS bodies in the shapes of the public API reference (C6; Go SDK services/ims/v2 models).</summary>
internal static class ImsFixtures
{
    public const string CreateFromServerRequest = """
        { "name": "sms-image-1", "instance_id": "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11" }
        """;

    public const string CreateFromVolumeRequest = """
        { "name": "sms-image-2", "volume_id": "9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f" }
        """;

    public const string CreateResponse = """
        { "job_id": "4010b39b5281d3590152874bfa3b1604" }
        """;

    public const string JobSucceeded = """
        {
          "status": "SUCCESS",
          "job_id": "4010b39b5281d3590152874bfa3b1604",
          "job_type": "createImageByInstance",
          "begin_time": "2016-01-27T14:51:59.203Z",
          "end_time": "2016-01-27T14:56:21.155Z",
          "entities": { "image_id": "a2eac9f4-d8ff-4c5f-9b8b-3f0c5b0e2a11" },
          "error_code": null,
          "fail_reason": null
        }
        """;

    /// <summary>GET /v2/cloudimages?id=…: one private image.</summary>
    public const string ListImagesResponse = """
        {
          "images": [
            {
              "__backup_id": "",
              "__data_origin": "instance,b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11",
              "__description": "",
              "__image_location": "",
              "__image_size": "2595092480",
              "__image_source_type": "uds",
              "__imagetype": "private",
              "__isregistered": "true",
              "__originalimagename": "67f433d8-ed0e-4321-a8a2-a71838539e09",
              "__os_bit": "64",
              "__os_type": "Linux",
              "__os_version": "CentOS 7.6 64bit",
              "__platform": "CentOS",
              "__productcode": "",
              "__support_kvm": "true",
              "hw_firmware_type": "uefi",
              "checksum": "d41d8cd98f00b204e9800998ecf8427e",
              "container_format": "bare",
              "created_at": "2016-01-27T14:52:00Z",
              "deleted": false,
              "disk_format": "zvhd2",
              "file": "/v2/images/a2eac9f4-d8ff-4c5f-9b8b-3f0c5b0e2a11/file",
              "id": "a2eac9f4-d8ff-4c5f-9b8b-3f0c5b0e2a11",
              "min_disk": 40,
              "min_ram": 0,
              "name": "sms-image-1",
              "owner": "0605767a3300d5762fb7c0186d9e1779",
              "protected": false,
              "schema": "/v2/schemas/image",
              "self": "/v2/images/a2eac9f4-d8ff-4c5f-9b8b-3f0c5b0e2a11",
              "size": 0,
              "status": "active",
              "tags": [],
              "updated_at": "2016-01-27T14:56:21Z",
              "virtual_env_type": "FusionCompute",
              "visibility": "private"
            }
          ]
        }
        """;
}
