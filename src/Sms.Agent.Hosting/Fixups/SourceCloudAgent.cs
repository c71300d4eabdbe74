namespace Sms.Fixups;

/// <summary>
/// An agent of a cloud that a migrated server should not start in another cloud (it would report to, or be managed
/// by, the old cloud, or fail and retry forever). <see cref="RemoveSourceCloudAgents"/> disables the agents it finds
/// by removing the links that start them at boot; their files stay.
/// </summary>
public sealed record SourceCloudAgent
{
    /// <summary>Cloud names of <see cref="Cloud"/> and <see cref="TargetFixupRequest.TargetCloud"/>.</summary>
    public static class Clouds
    {
        /// <summary>Alibaba Cloud.</summary>
        public const string Alibaba = "alibaba";

        /// <summary>Tencent Cloud.</summary>
        public const string Tencent = "tencent";

        /// <summary>Amazon Web Services.</summary>
        public const string Aws = "aws";

        /// <summary>Microsoft Azure.</summary>
        public const string Azure = "azure";

        /// <summary>Huawei Cloud (the key of the Huawei Cloud provider).</summary>
        public const string HuaweiCloud = "huaweicloud";
    }

    /// <summary>The agent's name, unique in <see cref="TargetFixupOptions.Agents"/>.</summary>
    /// <value>For example "alibaba-aegis".</value>
    public required string Name { get; init; }

    /// <summary>The cloud it belongs to: on a target in that same cloud it is left alone.</summary>
    /// <value>One of <see cref="Clouds"/>, or <see langword="null"/> to disable it whatever the target.</value>
    public string? Cloud { get; init; }

    /// <summary>Its systemd units: links with these names in the <c>*.wants/</c> and <c>*.requires/</c> directories are removed.</summary>
    /// <value>Unit file names, for example "aegis.service".</value>
    public IReadOnlyList<string> Units { get; init; } = [];

    /// <summary>Its SysV init scripts: the <c>rcN.d/S..NAME</c> and <c>K..NAME</c> links to them are removed.</summary>
    /// <value>Script names in /etc/init.d, for example "aegis".</value>
    public IReadOnlyList<string> InitScripts { get; init; } = [];

    /// <summary>Paths that show it is installed (besides its unit files and init scripts).</summary>
    /// <value>Absolute target paths, for example "/usr/local/aegis".</value>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The agents the SDK knows. A copy is in every new <see cref="TargetFixupOptions.Agents"/>.</summary>
    /// <value>Alibaba Cloud Security Center (Aegis), CloudMonitor and Cloud Assistant; Tencent Cloud's agents;
    /// the AWS SSM agent; the Azure Linux agent; Huawei Cloud's HostGuard and UniAgent.</value>
    public static IReadOnlyList<SourceCloudAgent> BuiltIn { get; } =
    [
        new()
        {
            Name = "alibaba-aegis",
            Cloud = Clouds.Alibaba,
            Units = ["aegis.service", "AliYunDun.service", "AliYunDunUpdate.service", "AliYunDunMonitor.service"],
            InitScripts = ["aegis", "agentwatch"],
            Paths = ["/usr/local/aegis"],
        },
        new()
        {
            Name = "alibaba-cloudmonitor",
            Cloud = Clouds.Alibaba,
            Units = ["cloudmonitor.service"],
            InitScripts = ["cloudmonitor"],
            Paths = ["/usr/local/cloudmonitor"],
        },
        new()
        {
            Name = "alibaba-cloud-assistant",
            Cloud = Clouds.Alibaba,
            Units = ["aliyun.service"],
            InitScripts = ["aliyun-service"],
            Paths = ["/usr/local/share/aliyun-assist", "/usr/sbin/aliyun-service"],
        },
        new()
        {
            Name = "tencent-agents",
            Cloud = Clouds.Tencent,
            Units = ["tat_agent.service", "YDService.service", "YDLive.service", "stargate.service", "barad_agent.service"],
            InitScripts = ["YDService", "tat_agent", "stargate", "barad_agent"],
            Paths = ["/usr/local/qcloud"],
        },
        new()
        {
            Name = "aws-ssm-agent",
            Cloud = Clouds.Aws,
            Units = ["amazon-ssm-agent.service", "snap.amazon-ssm-agent.amazon-ssm-agent.service"],
            InitScripts = ["amazon-ssm-agent"],
            Paths = ["/usr/bin/amazon-ssm-agent", "/etc/amazon/ssm", "/snap/amazon-ssm-agent"],
        },
        new()
        {
            Name = "azure-linux-agent",
            Cloud = Clouds.Azure,
            Units = ["waagent.service", "walinuxagent.service"],
            InitScripts = ["waagent", "walinuxagent"],
            Paths = ["/usr/sbin/waagent", "/etc/waagent.conf"],
        },
        new()
        {
            Name = "huawei-hostguard",
            Cloud = Clouds.HuaweiCloud,
            Units = ["hostguard.service"],
            InitScripts = ["hostguard"],
            Paths = ["/usr/local/hostguard"],
        },
        new()
        {
            Name = "huawei-uniagent",
            Cloud = Clouds.HuaweiCloud,
            Units = ["uniagent.service"],
            InitScripts = ["uniagent"],
            Paths = ["/usr/local/uniagent"],
        },
    ];
}
