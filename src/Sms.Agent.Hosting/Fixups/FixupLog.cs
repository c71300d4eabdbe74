using Microsoft.Extensions.Logging;

namespace Sms.Fixups;

/// <summary>The log messages of the target fix-ups (event ids 3800–3849 of Sms.Agent.Hosting's 3000–3999).</summary>
internal static partial class FixupLog
{
    [LoggerMessage(EventId = 3800, EventName = "FixupsStarting", Level = LogLevel.Information, Message = "Adapting the target's root file system ({Root}): {Steps} steps")]
    public static partial void FixupsStarting(ILogger logger, string root, int steps);

    [LoggerMessage(EventId = 3801, EventName = "FixupStepFinished", Level = LogLevel.Information, Message = "Fix-up {Step}: {Changes} changes, {Skipped} left as they were")]
    public static partial void StepFinished(ILogger logger, string step, int changes, int skipped);

    [LoggerMessage(EventId = 3802, EventName = "FixupStepFailed", Level = LogLevel.Error, Message = "Fix-up {Step} failed after {Changes} changes: {Reason}")]
    public static partial void StepFailed(ILogger logger, string step, int changes, string reason);

    [LoggerMessage(EventId = 3803, EventName = "TargetNotAdapted", Level = LogLevel.Warning, Message = "The target was not adapted: {Reason}")]
    public static partial void NotAdapted(ILogger logger, string reason);

    [LoggerMessage(EventId = 3804, EventName = "FixupStepDisabled", Level = LogLevel.Debug, Message = "Fix-up {Step} is disabled by the options")]
    public static partial void StepDisabled(ILogger logger, string step);

    [LoggerMessage(EventId = 3805, EventName = "FixupChange", Level = LogLevel.Debug, Message = "Fix-up {Step}: {Action} {Path}: {Detail}")]
    public static partial void Change(ILogger logger, string step, FixupAction action, string path, string detail);
}
