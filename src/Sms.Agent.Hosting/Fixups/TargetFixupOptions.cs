using Microsoft.Extensions.Options;

namespace Sms.Fixups;

/// <summary>Settings of the target fix-ups (<c>AddSms().AddTargetFixups(o => …)</c>).</summary>
public sealed class TargetFixupOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sms:Fixups";

    /// <summary>The source-cloud agents to disable when present; starts with <see cref="SourceCloudAgent.BuiltIn"/>. Add to it, or remove from it.</summary>
    /// <value>The agents; a later one replaces an earlier one of the same name.</value>
    public IList<SourceCloudAgent> Agents { get; } = [.. SourceCloudAgent.BuiltIn];

    /// <summary>Steps not to run, by <see cref="ITargetFixup.Name"/>.</summary>
    /// <value>Empty by default.</value>
    public ISet<string> DisabledSteps { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The <c>debugfs</c> to run on ext2/3/4 targets.</summary>
    /// <value>Default <see langword="null"/>: looked for on PATH, then in /usr/sbin and /sbin.</value>
    public string? DebugfsPath { get; set; }

    /// <summary>How long one run of an external tool may take.</summary>
    /// <value>Default 2 minutes.</value>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is not usable; the message says which.</exception>
    public void Validate()
    {
        if (ToolTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ToolTimeout must be positive, not {ToolTimeout}.", nameof(ToolTimeout));
        }

        if (DebugfsPath is { Length: 0 })
        {
            throw new ArgumentException("DebugfsPath is empty; leave it unset to look for debugfs.", nameof(DebugfsPath));
        }

        foreach (var agent in Agents)
        {
            if (agent is null || string.IsNullOrWhiteSpace(agent.Name))
            {
                throw new ArgumentException("Every agent needs a name.", nameof(Agents));
            }

            if (agent.Units.Concat(agent.InitScripts).FirstOrDefault(static n => string.IsNullOrEmpty(n) || n.Contains('/', StringComparison.Ordinal) || n is "." or "..") is { } badName)
            {
                throw new ArgumentException($"Agent {agent.Name}: '{badName}' is not a unit or init script name (a name, not a path).", nameof(Agents));
            }

            if (agent.Paths.FirstOrDefault(static p => string.IsNullOrEmpty(p) || p[0] != '/' || p.Split('/').Contains("..")) is { } badPath)
            {
                throw new ArgumentException($"Agent {agent.Name}: '{badPath}' is not an absolute target path without '..'.", nameof(Agents));
            }

            if (agent.Units.Count + agent.InitScripts.Count == 0)
            {
                throw new ArgumentException($"Agent {agent.Name} has no unit and no init script to disable.", nameof(Agents));
            }
        }
    }
}
