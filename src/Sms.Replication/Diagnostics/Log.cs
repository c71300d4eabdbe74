using Microsoft.Extensions.Logging;
using Sms.Replication;

namespace Sms.Diagnostics;

/// <summary>The log messages of Sms.Replication (event ids 1000–1999). Tokens and keys are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "PassStarting", Level = LogLevel.Information, Message = "Replicating {Source} into volume {Volume}: {Mode} pass ({FullReason})")]
    public static partial void PassStarting(ILogger logger, string source, string volume, ReplicationMode mode, string fullReason);

    [LoggerMessage(EventId = 1001, EventName = "PassFinished", Level = LogLevel.Information, Message = "Replicated {Source} into volume {Volume}: {BlocksSent} blocks, {BytesSent} bytes on the wire in {Seconds:F2} s")]
    public static partial void PassFinished(ILogger logger, string source, string volume, long blocksSent, long bytesSent, double seconds);

    [LoggerMessage(EventId = 1002, EventName = "BlockSizeChanged", Level = LogLevel.Warning, Message = "The manifest was made with {OldBlockSize}-byte blocks, this pass uses {NewBlockSize}: a full pass follows")]
    public static partial void BlockSizeChanged(ILogger logger, int oldBlockSize, int newBlockSize);

    [LoggerMessage(EventId = 1003, EventName = "ReceiverFlushed", Level = LogLevel.Debug, Message = "The receiver made {Frames} frames ({Bytes} bytes) durable")]
    public static partial void ReceiverFlushed(ILogger logger, long frames, long bytes);

    [LoggerMessage(EventId = 1100, EventName = "ReceiverListening", Level = LogLevel.Information, Message = "Receiver listening on {Endpoint}, certificate sha256 {Fingerprint}")]
    public static partial void ReceiverListening(ILogger logger, string endpoint, string fingerprint);

    [LoggerMessage(EventId = 1101, EventName = "SessionAccepted", Level = LogLevel.Information, Message = "Session from {Remote} for volume {Volume} accepted ({Disposition})")]
    public static partial void SessionAccepted(ILogger logger, string remote, string volume, string disposition);

    [LoggerMessage(EventId = 1102, EventName = "SessionRefused", Level = LogLevel.Warning, Message = "Session from {Remote} refused: {Code} {Reason}")]
    public static partial void SessionRefused(ILogger logger, string remote, string code, string reason);

    [LoggerMessage(EventId = 1103, EventName = "SessionEnded", Level = LogLevel.Information, Message = "Session from {Remote} for volume {Volume} ended: {Frames} frames, {Bytes} bytes written")]
    public static partial void SessionEnded(ILogger logger, string remote, string volume, long frames, long bytes);

    [LoggerMessage(EventId = 1104, EventName = "SessionBroken", Level = LogLevel.Warning, Message = "Session from {Remote} broke: {Reason}")]
    public static partial void SessionBroken(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1105, EventName = "FlushFailed", Level = LogLevel.Error, Message = "Flushing volume {Volume} failed: {Reason}; its state stays not clean")]
    public static partial void FlushFailed(ILogger logger, string volume, string reason);
}
