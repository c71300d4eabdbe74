namespace Sms.Cloud.Tests.Huawei.Fixtures;

/// <summary>Recorded VPC bodies in the shapes of the public API reference (C5; Go SDK services/vpc/v2 models).</summary>
internal static class VpcFixtures
{
    public const string CreateVpcRequest = """
        { "vpc": { "name": "sms-vpc", "cidr": "192.168.0.0/16" } }
        """;

    public const string Vpc = """
        { "vpc": { "id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85", "name": "sms-vpc", "cidr": "192.168.0.0/16", "status": "CREATING", "routes": [], "enterprise_project_id": "0", "description": "" } }
        """;

    public const string CreateSubnetRequest = """
        { "subnet": { "name": "sms-subnet", "cidr": "192.168.0.0/24", "gateway_ip": "192.168.0.1", "vpc_id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85" } }
        """;

    public const string Subnet = """
        {
          "subnet": {
            "id": "8f8e4a2c-4bb1-4c3e-9a63-2d2e2a7b6c10",
            "name": "sms-subnet",
            "description": "",
            "cidr": "192.168.0.0/24",
            "dnsList": [ "100.125.1.250", "100.125.21.250" ],
            "status": "UNKNOWN",
            "vpc_id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85",
            "gateway_ip": "192.168.0.1",
            "dhcp_enable": true,
            "primary_dns": "100.125.1.250",
            "secondary_dns": "100.125.21.250",
            "availability_zone": "",
            "neutron_network_id": "8f8e4a2c-4bb1-4c3e-9a63-2d2e2a7b6c10",
            "neutron_subnet_id": "2a7c5b0e-9e21-4d5b-8f4a-f8ad3a0f4d5b",
            "extra_dhcp_opts": []
          }
        }
        """;

    public const string CreateSecurityGroupRequest = """
        { "security_group": { "name": "sg-sms", "vpc_id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85" } }
        """;

    /// <summary>A new group: ECS adds "same group" ingress rules (remote_group_id) and "any" egress rules.</summary>
    public const string SecurityGroup = """
        {
          "security_group": {
            "id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e",
            "name": "sg-sms",
            "description": "",
            "vpc_id": "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85",
            "enterprise_project_id": "0",
            "security_group_rules": [
              {
                "id": "07adc12f-2b6d-4b8a-9d0e-1f2a3b4c5d01", "description": "", "security_group_id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e",
                "direction": "egress", "ethertype": "IPv4", "protocol": null, "port_range_min": null, "port_range_max": null,
                "remote_ip_prefix": null, "remote_group_id": null, "tenant_id": "0605767a3300d5762fb7c0186d9e1779"
              },
              {
                "id": "07adc12f-2b6d-4b8a-9d0e-1f2a3b4c5d02", "description": "", "security_group_id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e",
                "direction": "ingress", "ethertype": "IPv4", "protocol": null, "port_range_min": null, "port_range_max": null,
                "remote_ip_prefix": null, "remote_group_id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e", "tenant_id": "0605767a3300d5762fb7c0186d9e1779"
              }
            ]
          }
        }
        """;

    /// <summary>The seeds' agent port 8900 (block data), from one address range.</summary>
    public const string CreateRuleRequest = """
        {
          "security_group_rule": {
            "security_group_id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e",
            "direction": "ingress",
            "ethertype": "IPv4",
            "protocol": "tcp",
            "port_range_min": 8900,
            "port_range_max": 8900,
            "remote_ip_prefix": "10.0.0.0/8"
          }
        }
        """;

    public const string Rule = """
        {
          "security_group_rule": {
            "id": "07adc12f-2b6d-4b8a-9d0e-1f2a3b4c5d03", "description": "", "security_group_id": "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e",
            "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 8900, "port_range_max": 8900,
            "remote_ip_prefix": "10.0.0.0/8", "remote_group_id": null, "tenant_id": "0605767a3300d5762fb7c0186d9e1779"
          }
        }
        """;
}
