namespace Sms.Protocol;

/// <summary>The frame types of the replication protocol. Anything else is a protocol error.</summary>
public enum FrameType : byte
{
    /// <summary>Source → receiver: the session request (JSON: token, volume, sizes, settings).</summary>
    Hello = 1,

    /// <summary>Receiver → source: the session is accepted (JSON: volume id, size, whether it was reset).</summary>
    HelloAck = 2,

    /// <summary>Source → receiver: one block; <c>Offset</c> is its byte offset, the payload its (maybe compressed) bytes.</summary>
    Block = 3,

    /// <summary>Source → receiver: <c>RawLength</c> bytes at <c>Offset</c> are zeros now; no payload.</summary>
    Zero = 4,

    /// <summary>Receiver → source: the first <c>Offset</c> data frames (Block and Zero) of the session are written.</summary>
    Ack = 5,

    /// <summary>Source → receiver: the pass is complete (<c>Offset</c> = data frames sent); the receiver acknowledges all and answers <see cref="EndAck"/>.</summary>
    End = 6,

    /// <summary>Receiver → source: every block is written (JSON: bytes written); it is made durable in the background after the session.</summary>
    EndAck = 7,

    /// <summary>Source → receiver: verify <c>RawLength</c> blocks from block index <c>Offset</c>; the payload holds their hashes.</summary>
    VerifyRequest = 8,

    /// <summary>Receiver → source: the block indices (u64 each) among the requested ones that did not match.</summary>
    VerifyResult = 9,

    /// <summary>Either side: a refusal or failure (JSON: code, message); the connection closes after it.</summary>
    Error = 10,

    /// <summary>Source → receiver: the session ends normally.</summary>
    Bye = 11,

    /// <summary>Source → receiver (files): a batch of records — whole small files, metadata, symbolic links, special files; <c>RawLength</c> = decoded length.</summary>
    FileBatch = 12,

    /// <summary>Source → receiver (files): directories that must exist before anything sent after them.</summary>
    FileDirs = 13,

    /// <summary>Source → receiver (files): a large file starts (file id, metadata, size, new or patch).</summary>
    FileBegin = 14,

    /// <summary>Source → receiver (files): a chunk of a large file; <c>Offset</c> = byte offset, <c>Hash</c> = XXH128 of the chunk (0: zeros).</summary>
    FileChunk = 15,

    /// <summary>Source → receiver (files): a large file is complete (or abandoned because it changed while read).</summary>
    FileEnd = 16,

    /// <summary>Source → receiver (files): deletions, hard links and directory metadata, applied after every earlier frame.</summary>
    FileFinish = 17,

    /// <summary>Source → receiver (files): a page of entries to verify; <c>RawLength</c> = 1 on the last page.</summary>
    FileVerify = 18,

    /// <summary>Receiver → source (files): a page of differences found by verification; <c>RawLength</c> = 1 on the last page.</summary>
    FileVerifyResult = 19,
}
