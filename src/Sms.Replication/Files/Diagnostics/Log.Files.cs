using Microsoft.Extensions.Logging;
using Sms.Replication;

namespace Sms.Diagnostics;

/// <summary>The log messages of file-level replication (event ids 1200–1299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1200, EventName = "FilePassStarting", Level = LogLevel.Information, Message = "Replicating files of {Source} into tree {Tree}: {Mode} pass ({FullReason})")]
    public static partial void FilePassStarting(ILogger logger, string source, string tree, ReplicationMode mode, string fullReason);

    [LoggerMessage(EventId = 1201, EventName = "FilePassFinished", Level = LogLevel.Information, Message = "Replicated files of {Source} into tree {Tree}: {FilesSent} files sent, {BytesSent} bytes on the wire in {Seconds:F2} s")]
    public static partial void FilePassFinished(ILogger logger, string source, string tree, long filesSent, long bytesSent, double seconds);

    [LoggerMessage(EventId = 1202, EventName = "FilePassPhase", Level = LogLevel.Debug, Message = "File pass: {Phase} after {Milliseconds:F1} ms")]
    public static partial void FilePassPhase(ILogger logger, string phase, double milliseconds);

    [LoggerMessage(EventId = 1210, EventName = "FileSessionAccepted", Level = LogLevel.Information, Message = "File session from {Remote} for tree {Tree} accepted ({Disposition})")]
    public static partial void FileSessionAccepted(ILogger logger, string remote, string tree, string disposition);

    [LoggerMessage(EventId = 1211, EventName = "FileSessionEnded", Level = LogLevel.Information, Message = "File session from {Remote} for tree {Tree} ended: {Frames} frames, {Bytes} bytes written")]
    public static partial void FileSessionEnded(ILogger logger, string remote, string tree, long frames, long bytes);

    [LoggerMessage(EventId = 1212, EventName = "FileTreeFlushFailed", Level = LogLevel.Error, Message = "Flushing tree {Tree} failed: {Reason}; its state stays not clean")]
    public static partial void FileTreeFlushFailed(ILogger logger, string tree, string reason);

    [LoggerMessage(EventId = 1213, EventName = "FileEntriesSkipped", Level = LogLevel.Warning, Message = "Tree {Tree}: {Count} device nodes, owners or extended attributes could not be created without root privileges")]
    public static partial void FileEntriesSkipped(ILogger logger, string tree, long count);
}
