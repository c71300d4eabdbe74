using Microsoft.Extensions.Logging;
using Sms.Migration;

namespace Sms.Diagnostics;

/// <summary>The log messages of the migration workflow (event ids 3000–3999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "TaskCommand", Level = LogLevel.Information, Message = "Task {MigrationTaskId}: {Command} accepted, now {Stage}/{State}")]
    public static partial void TaskCommand(ILogger logger, string migrationTaskId, MigrationCommand command, MigrationStage stage, MigrationState state);

    [LoggerMessage(EventId = 3002, EventName = "StepStarting", Level = LogLevel.Information, Message = "Task {MigrationTaskId}: {Step} starting")]
    public static partial void StepStarting(ILogger logger, string migrationTaskId, string step);

    [LoggerMessage(EventId = 3003, EventName = "StepCompleted", Level = LogLevel.Information, Message = "Task {MigrationTaskId}: {Step} done: {Outcome}")]
    public static partial void StepCompleted(ILogger logger, string migrationTaskId, string step, string outcome);

    [LoggerMessage(EventId = 3004, EventName = "TaskFailed", Level = LogLevel.Error, Message = "Task {MigrationTaskId}: {Step} failed with {ErrorCode}: {Reason}")]
    public static partial void TaskFailed(ILogger logger, string migrationTaskId, string step, string errorCode, string reason);

    [LoggerMessage(EventId = 3005, EventName = "TaskPaused", Level = LogLevel.Information, Message = "Task {MigrationTaskId}: paused during {Step}")]
    public static partial void TaskPaused(ILogger logger, string migrationTaskId, string step);

    [LoggerMessage(EventId = 3006, EventName = "TaskInterrupted", Level = LogLevel.Warning, Message = "Task {MigrationTaskId}: interrupted during {Step}; it resumes there")]
    public static partial void TaskInterrupted(ILogger logger, string migrationTaskId, string step);

    [LoggerMessage(EventId = 3007, EventName = "ResourceDeleted", Level = LogLevel.Information, Message = "Task {MigrationTaskId}: deleted {Kind} {ResourceId}")]
    public static partial void ResourceDeleted(ILogger logger, string migrationTaskId, TrackedResourceKind kind, string resourceId);

    [LoggerMessage(EventId = 3008, EventName = "WorkerFault", Level = LogLevel.Warning, Message = "Migration worker: {Reason}; retrying in {DelaySeconds} s")]
    public static partial void WorkerFault(ILogger logger, string reason, double delaySeconds);

    [LoggerMessage(EventId = 3009, EventName = "TaskTakenOver", Level = LogLevel.Warning, Message = "Task {MigrationTaskId}: taken over from {PreviousOwner}, whose lease expired or whose process is gone")]
    public static partial void TaskTakenOver(ILogger logger, string migrationTaskId, string previousOwner);
}
