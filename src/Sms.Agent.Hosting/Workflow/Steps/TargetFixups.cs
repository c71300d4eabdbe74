using Sms.Cloud;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>The launch's OS fix-ups of the target's file systems.</summary>
internal sealed class TargetFixups
{
    private readonly string _none = "no fix-up steps are registered";

    public Task<string> ApplyAsync(MigrationTask task, ICloudProvider cloud, string? treeDirectory, CancellationToken cancellationToken)
    {
        _ = task;
        _ = cloud;
        _ = treeDirectory;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_none);
    }
}
