using Microsoft.Extensions.Logging;
using Sms.Cloud.Local.Files;

namespace Sms.Cloud.Local.Diagnostics;

/// <summary>The log messages of the local cloud (event ids 4100–4199).</summary>
internal static partial class LocalCloudLog
{
    [LoggerMessage(EventId = 4100, EventName = "LocalCloudOpened", Level = LogLevel.Information, Message = "Local cloud opened at {Directory}: schema version {SchemaVersion}, reflinks {Reflink}, instance {InstanceId}")]
    public static partial void Opened(ILogger logger, string directory, int schemaVersion, bool reflink, string instanceId);

    [LoggerMessage(EventId = 4101, EventName = "OperationSucceeded", Level = LogLevel.Debug, Message = "Operation {OperationId} ({Kind}) succeeded")]
    public static partial void OperationSucceeded(ILogger logger, string operationId, string kind);

    [LoggerMessage(EventId = 4102, EventName = "OperationFailed", Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) failed: {Reason}")]
    public static partial void OperationFailed(ILogger logger, string operationId, string kind, string reason);

    [LoggerMessage(EventId = 4103, EventName = "FileCopied", Level = LogLevel.Debug, Message = "Copied {Source} to {Destination} by {Method}")]
    public static partial void FileCopied(ILogger logger, string source, string destination, CopyMethod method);

    [LoggerMessage(EventId = 4104, EventName = "QemuImgMissing", Level = LogLevel.Warning, Message = "qcow2 images were asked for but qemu-img is not installed: images stay raw")]
    public static partial void QemuImgMissing(ILogger logger);

    [LoggerMessage(EventId = 4105, EventName = "FileNotDeleted", Level = LogLevel.Warning, Message = "Could not delete {Path}; delete it by hand")]
    public static partial void FileNotDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 4106, EventName = "ReceiverStateCleared", Level = LogLevel.Information, Message = "Volume {VolumeId} was rolled back to snapshot {SnapshotId}; the block receiver's state {Path} was removed so that the next pass is a full one")]
    public static partial void ReceiverStateCleared(ILogger logger, string volumeId, string snapshotId, string path);

    [LoggerMessage(EventId = 4107, EventName = "OperationRecordFailed", Level = LogLevel.Error, Message = "Operation {OperationId} could not be recorded as finished; it will be reported interrupted")]
    public static partial void OperationRecordFailed(ILogger logger, string operationId, Exception exception);
}
