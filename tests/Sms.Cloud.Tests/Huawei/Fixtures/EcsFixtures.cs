namespace Sms.Cloud.Tests.Huawei.Fixtures;

/// <summary>
/// Recorded ECS bodies in the shapes of the public API reference (C3; Go SDK model_post_paid_server.go,
/// model_server_detail.go, model_flavor.go, model_show_job_response.go, model_sub_job.go). Ids and values are test
/// data, and error codes other than Ecs.0114 (which the SDK's own docs quote) are illustrative; the fake fills its
/// responses in from these templates.
/// </summary>
internal static class EcsFixtures
{
    /// <summary>The body the provider must send for <see cref="HuaweiTestData.ServerSpec"/>.</summary>
    public const string CreateServerRequest = """
        {
          "server": {
            "availability_zone": "cn-north-4a",
            "name": "sms-target-01",
            "flavorRef": "s6.large.2",
            "imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09",
            "vpcid": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85",
            "nics": [ { "subnet_id": "8f8e4a2c-4bb1-4c3e-9a63-2d2e2a7b6c10" } ],
            "security_groups": [ { "id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e" } ],
            "root_volume": { "volumetype": "GPSSD", "size": 40 },
            "data_volumes": [ { "volumetype": "GPSSD", "size": 100 }, { "volumetype": "GPSSD", "size": 200 } ],
            "metadata": { "sms-task": "task-1", "sms:firmware": "bios" }
          }
        }
        """;

    public const string CreateServerResponse = """
        { "job_id": "70a599e0-31e7-49b7-b260-868f441e862b", "serverIds": [ "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11" ] }
        """;

    /// <summary>GET /v1/{project_id}/cloudservers/{server_id}.</summary>
    public const string ShowServerResponse = """
        {
          "server": {
            "fault": null,
            "id": "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11",
            "name": "sms-target-01",
            "addresses": {
              "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85": [
                {
                  "version": "4",
                  "addr": "192.168.0.12",
                  "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:5e:10:2b",
                  "OS-EXT-IPS:type": "fixed",
                  "OS-EXT-IPS:port_id": "4f0a9c59-4b0e-4b6c-a2bb-3a0a6f4d5e55"
                }
              ]
            },
            "flavor": { "id": "s6.large.2", "name": "s6.large.2", "disk": "0", "vcpus": "2", "ram": "4096" },
            "accessIPv4": "",
            "accessIPv6": "",
            "status": "ACTIVE",
            "progress": 0,
            "hostId": "c7145889b2e3202cd295ceddb1742ff8941b827b586861fd0acedf64",
            "updated": "2019-05-22T03:30:52Z",
            "created": "2019-05-22T03:19:19Z",
            "metadata": {
              "charging_mode": "0",
              "vpc_id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85",
              "image_name": "CentOS 7.6 64bit",
              "os_type": "Linux",
              "os_bit": "64",
              "metering.image_id": "67f433d8-ed0e-4321-a8a2-a71838539e09",
              "metering.imagetype": "gold",
              "metering.resourcespeccode": "s6.large.2.linux",
              "metering.resourcetype": "1"
            },
            "tags": [],
            "description": "",
            "locked": false,
            "config_drive": "",
            "tenant_id": "0605767a3300d5762fb7c0186d9e1779",
            "user_id": "054ea6c2e0ab2b1c1f2bc01e4bb26f2b",
            "key_name": null,
            "os-extended-volumes:volumes_attached": [
              { "id": "d8a4b5a1-3b67-4a36-9c43-0c5d4e0f8a01", "delete_on_termination": "true", "bootIndex": "0", "device": "/dev/vda" },
              { "id": "f3a1b2c4-5d6e-4f70-8a9b-0c1d2e3f4a02", "delete_on_termination": "false", "bootIndex": "-1", "device": "/dev/vdb" }
            ],
            "OS-EXT-STS:task_state": null,
            "OS-EXT-STS:power_state": 1,
            "OS-EXT-STS:vm_state": "active",
            "OS-EXT-SRV-ATTR:host": "pod01.cn-north-4a",
            "OS-EXT-SRV-ATTR:instance_name": "instance-0048a91b",
            "OS-EXT-SRV-ATTR:hypervisor_hostname": "nova022@36",
            "OS-DCF:diskConfig": "MANUAL",
            "OS-EXT-AZ:availability_zone": "cn-north-4a",
            "os:scheduler_hints": {},
            "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
            "OS-EXT-SRV-ATTR:ramdisk_id": "",
            "OS-EXT-SRV-ATTR:kernel_id": "",
            "OS-EXT-SRV-ATTR:launch_index": 0,
            "OS-EXT-SRV-ATTR:hostname": "sms-target-01",
            "OS-SRV-USG:launched_at": "2019-05-22T03:23:59.000000",
            "OS-SRV-USG:terminated_at": "",
            "security_groups": [ { "name": "sg-sms", "id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e" } ],
            "image": { "id": "67f433d8-ed0e-4321-a8a2-a71838539e09" },
            "enterprise_project_id": "0",
            "sys_tags": [ { "key": "_sys_enterprise_project_id", "value": "0" } ],
            "host_status": "UP"
          }
        }
        """;

    /// <summary>GET /v1/{project_id}/cloudservers/flavors.</summary>
    public const string ListFlavorsResponse = """
        {
          "flavors": [
            {
              "id": "s6.large.2",
              "name": "s6.large.2",
              "vcpus": "2",
              "ram": 4096,
              "disk": "0",
              "swap": "",
              "OS-FLV-EXT-DATA:ephemeral": 0,
              "OS-FLV-DISABLED:disabled": false,
              "rxtx_factor": 1,
              "rxtx_quota": null,
              "rxtx_cap": null,
              "os-flavor-access:is_public": true,
              "links": [ { "rel": "self", "href": "https://ecs.cn-north-4.myhuaweicloud.com/v1.0/flavors/s6.large.2", "type": null } ],
              "os_extra_specs": { "ecs:performancetype": "normal", "resource_type": "IOoptimizedS6", "cond:operation:status": "normal" }
            },
            {
              "id": "s6.xlarge.2",
              "name": "s6.xlarge.2",
              "vcpus": "4",
              "ram": 8192,
              "disk": "0",
              "swap": "",
              "OS-FLV-EXT-DATA:ephemeral": 0,
              "OS-FLV-DISABLED:disabled": false,
              "rxtx_factor": 1,
              "rxtx_quota": null,
              "rxtx_cap": null,
              "os-flavor-access:is_public": true,
              "links": [],
              "os_extra_specs": { "ecs:performancetype": "normal", "cond:operation:status": "normal" }
            }
          ]
        }
        """;

    /// <summary>An ECS job with one sub-job (create server).</summary>
    public const string JobSucceeded = """
        {
          "status": "SUCCESS",
          "entities": {
            "sub_jobs_total": 1,
            "sub_jobs": [
              {
                "status": "SUCCESS",
                "entities": { "server_id": "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11" },
                "job_id": "70a599e0-31e7-49b7-b260-868f441e1111",
                "job_type": "createSingleServer",
                "begin_time": "2019-05-22T03:19:19.531Z",
                "end_time": "2019-05-22T03:23:59.000Z",
                "error_code": null,
                "fail_reason": null
              }
            ]
          },
          "job_id": "70a599e0-31e7-49b7-b260-868f441e862b",
          "job_type": "createServer",
          "begin_time": "2019-05-22T03:19:19.531Z",
          "end_time": "2019-05-22T03:23:59.000Z",
          "error_code": null,
          "fail_reason": null
        }
        """;

    /// <summary>An ECS create job whose sub-job failed (the top level repeats the code and reason).</summary>
    public const string JobFailed = """
        {
          "status": "FAIL",
          "entities": {
            "sub_jobs_total": 1,
            "sub_jobs": [
              {
                "status": "FAIL",
                "entities": { "server_id": "b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11", "errorcode_message": "Ecs.0013" },
                "job_id": "70a599e0-31e7-49b7-b260-868f441e1111",
                "job_type": "createSingleServer",
                "begin_time": "2019-05-22T03:19:19.531Z",
                "end_time": "2019-05-22T03:21:02.000Z",
                "error_code": "Ecs.0013",
                "fail_reason": "The availability zone cn-north-4a has no capacity for flavor s6.large.2."
              }
            ]
          },
          "job_id": "70a599e0-31e7-49b7-b260-868f441e862b",
          "job_type": "createServer",
          "begin_time": "2019-05-22T03:19:19.531Z",
          "end_time": "2019-05-22T03:21:02.000Z",
          "error_code": "Ecs.0013",
          "fail_reason": "The availability zone cn-north-4a has no capacity for flavor s6.large.2."
        }
        """;

    /// <summary>The ECS error shape <c>{"error": {"code", "message"}}</c>.</summary>
    public const string ServerNotFound = """
        { "error": { "code": "Ecs.0114", "message": "Instance[b3a8d6b2-0000-0000-0000-000000000000] could not be found." } }
        """;
}
