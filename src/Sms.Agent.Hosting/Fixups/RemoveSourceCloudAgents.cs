using System.Text.RegularExpressions;

namespace Sms.Fixups;

/// <summary>
/// Disables the agents of the source's cloud that are installed on the target (Alibaba Cloud's Aegis, CloudMonitor
/// and Cloud Assistant, Tencent Cloud's agents, the AWS SSM agent, the Azure Linux agent, Huawei Cloud's HostGuard and
/// UniAgent, and any added to <see cref="TargetFixupOptions.Agents"/>): the systemd links in <c>*.wants/</c> and
/// <c>*.requires/</c> and the SysV <c>rcN.d</c> links that start them at boot are removed. Nothing else is deleted:
/// their programs, configuration and data stay. An agent of the cloud the target runs in is left alone.
/// </summary>
public sealed partial class RemoveSourceCloudAgents : ITargetFixup
{
    /// <summary>The step's name.</summary>
    public const string StepName = "remove-source-cloud-agents";

    private static readonly string[] SystemdDirectories = ["/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"];
    private static readonly string[] InitDirectories = ["/etc/init.d", "/etc/rc.d/init.d"];
    private static readonly string[] RcDirectories =
    [
        "/etc/rc.d/rc0.d", "/etc/rc.d/rc1.d", "/etc/rc.d/rc2.d", "/etc/rc.d/rc3.d", "/etc/rc.d/rc4.d", "/etc/rc.d/rc5.d", "/etc/rc.d/rc6.d",
        "/etc/rc0.d", "/etc/rc1.d", "/etc/rc2.d", "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d", "/etc/rc6.d", "/etc/rcS.d",
    ];

    private readonly IReadOnlyList<SourceCloudAgent> _agents;

    /// <summary>Creates the step with the agents the SDK knows (<see cref="SourceCloudAgent.BuiltIn"/>).</summary>
    public RemoveSourceCloudAgents()
        : this(SourceCloudAgent.BuiltIn)
    {
    }

    /// <summary>Creates the step with a table of agents.</summary>
    /// <param name="agents">The agents; a later one replaces an earlier one of the same name.</param>
    public RemoveSourceCloudAgents(IEnumerable<SourceCloudAgent> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var byName = new Dictionary<string, SourceCloudAgent>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var agent in agents)
        {
            if (!byName.ContainsKey(agent.Name))
            {
                order.Add(agent.Name);
            }

            byName[agent.Name] = agent;
        }

        _agents = [.. order.Select(n => byName[n])];
    }

    /// <inheritdoc />
    public string Name => StepName;

    /// <summary>The agents this step looks for.</summary>
    /// <value>One per name.</value>
    public IReadOnlyList<SourceCloudAgent> Agents => _agents;

    /// <inheritdoc />
    public async Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = context.Root;
        var unitLinks = await SystemdLinksAsync(root, cancellationToken).ConfigureAwait(false);
        var rcLinks = await RcLinksAsync(root, cancellationToken).ConfigureAwait(false);
        foreach (var agent in _agents)
        {
            var evidence = await EvidenceAsync(root, agent, cancellationToken).ConfigureAwait(false);
            if (evidence is null)
            {
                continue;
            }

            if (agent.Cloud is not null && string.Equals(agent.Cloud, context.TargetCloud, StringComparison.OrdinalIgnoreCase))
            {
                context.RecordSkip(evidence, $"{agent.Name} belongs to {agent.Cloud}, the cloud the target runs in: left enabled");
                continue;
            }

            var links = unitLinks.Where(l => agent.Units.Contains(l.Name, StringComparer.Ordinal))
                .Concat(rcLinks.Where(l => agent.InitScripts.Contains(l.Name, StringComparer.Ordinal)))
                .Select(static l => l.Path)
                .ToList();
            var removed = 0;
            foreach (var link in links)
            {
                // The same directory can be reached twice (/lib → /usr/lib): skip a link already gone.
                if (await root.GetEntryAsync(link, cancellationToken).ConfigureAwait(false) is not { Kind: TargetEntryKind.Symlink })
                {
                    continue;
                }

                await root.DeleteSymlinkAsync(link, cancellationToken).ConfigureAwait(false);
                context.RecordChange(link, FixupAction.Deleted, $"{agent.Name} ({evidence}) no longer starts at boot; its files are kept");
                removed++;
            }

            if (removed == 0)
            {
                context.RecordSkip(evidence, $"{agent.Name} is installed but nothing starts it at boot");
            }
        }

        return context.ToResult(Name);
    }

    /// <summary>The path that shows an agent is installed, or <see langword="null"/>.</summary>
    private static async Task<string?> EvidenceAsync(ITargetFileSystem root, SourceCloudAgent agent, CancellationToken cancellationToken)
    {
        var candidates = agent.Paths
            .Concat(SystemdDirectories.SelectMany(d => agent.Units.Select(u => TargetPath.Combine(d, u))))
            .Concat(InitDirectories.SelectMany(d => agent.InitScripts.Select(s => TargetPath.Combine(d, s))));
        foreach (var path in candidates)
        {
            try
            {
                if (await root.GetEntryAsync(path, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return path;
                }
            }
            catch (SmsException ex) when (ex.ErrorCode == SmsErrorCode.ResourceNotFound || ex.ErrorCode == SmsErrorCode.InvalidName)
            {
                // A parent that is not a directory, or a link out of the root: not this agent.
            }
        }

        return null;
    }

    /// <summary>Every link in a <c>*.wants</c>, <c>*.requires</c> or <c>*.upholds</c> directory of systemd.</summary>
    private static async Task<List<(string Path, string Name)>> SystemdLinksAsync(ITargetFileSystem root, CancellationToken cancellationToken)
    {
        var links = new List<(string, string)>();
        foreach (var directory in SystemdDirectories)
        {
            if (!await root.IsDirectoryAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            foreach (var entry in await root.ListDirectoryAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Kind != TargetEntryKind.Directory
                    || !(entry.Name.EndsWith(".wants", StringComparison.Ordinal) || entry.Name.EndsWith(".requires", StringComparison.Ordinal) || entry.Name.EndsWith(".upholds", StringComparison.Ordinal)))
                {
                    continue;
                }

                var wants = TargetPath.Combine(directory, entry.Name);
                foreach (var link in await root.ListDirectoryAsync(wants, cancellationToken).ConfigureAwait(false))
                {
                    if (link.Kind == TargetEntryKind.Symlink)
                    {
                        links.Add((TargetPath.Combine(wants, link.Name), link.Name));
                    }
                }
            }
        }

        return links;
    }

    /// <summary>Every <c>S..NAME</c> and <c>K..NAME</c> link of the SysV runlevel directories, with the script's NAME.</summary>
    private static async Task<List<(string Path, string Name)>> RcLinksAsync(ITargetFileSystem root, CancellationToken cancellationToken)
    {
        var links = new List<(string, string)>();
        foreach (var directory in RcDirectories)
        {
            // On RHEL /etc/rc3.d is a link to rc.d/rc3.d, listed already.
            if (await root.GetEntryAsync(directory, cancellationToken).ConfigureAwait(false) is not { Kind: TargetEntryKind.Directory })
            {
                continue;
            }

            foreach (var link in await root.ListDirectoryAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                if (link.Kind == TargetEntryKind.Symlink && RcLink().Match(link.Name) is { Success: true } m)
                {
                    links.Add((TargetPath.Combine(directory, link.Name), m.Groups["script"].Value));
                }
            }
        }

        return links;
    }

    [GeneratedRegex(@"^[SK][0-9]{2}(?<script>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RcLink();
}
