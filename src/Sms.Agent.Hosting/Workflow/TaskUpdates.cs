using Sms.Migration;

namespace Sms.Workflow;

/// <summary>Read-change-replace of a stored task, retried while others change it meanwhile.</summary>
internal static class TaskUpdates
{
    /// <summary>Applies <paramref name="change"/> to the current task until the replace wins; <paramref name="change"/> may throw to refuse.</summary>
    public static async Task<MigrationTask> MutateAsync(IMigrationStore store, string taskId, Func<MigrationTask, MigrationTask> change, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false)
                ?? throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no migration task '{taskId}'.");
            var next = change(current) with { Version = current.Version, UpdatedAt = time.GetUtcNow() };
            if (await store.TryReplaceAsync(next, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }

            if (attempt >= 100)
            {
                throw new SmsException(SmsErrorCode.TaskBusy, $"Task '{taskId}' keeps changing under this update; try again.");
            }
        }
    }
}
