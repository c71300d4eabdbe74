using System.Globalization;
using System.Text;
using Sms.Cloud;
using Sms.Fixups;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>
/// The launch's OS fix-ups: the <see cref="TargetFixupRunner"/> on the target's volume files (block level) or its file
/// tree (file level), where this machine can reach them (the local cloud). A target whose root the fix-ups do not
/// understand is launched with a warning saying so; a step that fails stops the launch (SMS.3101) so it can be fixed
/// and the launch resumed.
/// </summary>
internal sealed class TargetFixups
{
    private readonly TargetFixupRunner _runner;

    public TargetFixups(TargetFixupRunner runner)
    {
        _runner = runner;
    }

    /// <summary>The SDK's own steps: fstab and boot entries by UUID, DHCP instead of MAC-bound network settings, source-cloud agents disabled.</summary>
    public static TargetFixupRunner DefaultRunner() => new([new FstabByUuid(), new NetworkToDhcp(), new RemoveSourceCloudAgents()]);

    public async Task<string> ApplyAsync(MigrationTask task, ICloudProvider cloud, string? treeDirectory, CancellationToken cancellationToken)
    {
        TargetFixupReport report;
        if (task.Kind == MigrationKind.File)
        {
            if (treeDirectory is null || !Directory.Exists(treeDirectory))
            {
                return "not run: the target's file tree is reachable only on the target (its helper boot runs them there)";
            }

            report = await _runner.RunAsync(new DirectoryTargetFileSystem(treeDirectory), new TargetFixupRequest { VolumeImages = [], TargetCloud = cloud.Name }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var images = new List<string>();
            foreach (var id in task.Target!.VolumeIds)
            {
                var path = (await cloud.Volumes.GetVolumeAsync(id, cancellationToken).ConfigureAwait(false)).LocalPath;
                if (path is null)
                {
                    return "not run: the target's disks are reachable only on the target (its helper boot runs them there)";
                }

                images.Add(path);
            }

            report = await _runner.RunAsync(new TargetFixupRequest { VolumeImages = images, TargetCloud = cloud.Name }, cancellationToken).ConfigureAwait(false);
        }

        var failed = new List<string>();
        foreach (var step in report.Failed)
        {
            failed.Add($"{step.Step}: {step.Error}");
        }

        if (failed.Count > 0)
        {
            throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The target's configuration files could not be adapted: {string.Join("; ", failed)}");
        }

        return Describe(report);
    }

    private static string Describe(TargetFixupReport report)
    {
        if (!report.Adapted)
        {
            return "target not adapted: " + (report.NotAdapted.Count > 0 ? string.Join("; ", report.NotAdapted) : "no root file system found");
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"root {report.Root?.ToString() ?? "tree"} adapted:");
        foreach (var step in report.Steps)
        {
            text.Append(CultureInfo.InvariantCulture, $" {step.Step} {step.Changes.Count} change(s)");
            if (step.Skipped.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({step.Skipped.Count} left as they were)");
            }

            text.Append(',');
        }

        text.Length--;
        return text.ToString();
    }
}
