namespace Sms.Files.Wire;

/// <summary>
/// The file-level protocol on the shared framing (see <see cref="Sms.Protocol.ProtocolConstants"/>). After Hello with
/// <c>kind = "files"</c> and HelloAck, the source sends data frames, acknowledged by count like block frames:
/// <code>
/// FileDirs   records: MkDir … — applied in order by the receiver's reader, before any later frame
/// FileBatch  records: File (inline content) | Meta | Symlink | Special — applied by parallel writers
/// FileBegin  u64 file id, a Begin record (metadata, i64 size, u8 mode: 0 new, 1 patch of the existing file)
/// FileChunk  u64 file id, chunk bytes; Offset = byte offset, RawLength = raw length, Hash = XXH128 (0: zeros, no bytes)
/// FileEnd    u64 file id, u8 status (0 complete, 1 abandoned: it changed while read), u128 content hash
/// FileFinish records: Delete | Link | DirMeta — the receiver first waits for all earlier frames, then applies in order
/// End        Offset = data frames sent; the receiver answers Ack and EndAck
/// FileVerify / FileVerifyResult: pages of entries to check, and of differences (after End)
/// </code>
/// Record: <c>u8 op, u16 path length, path bytes</c>, then by op (big-endian):
/// <code>
/// metadata (File, Meta, Symlink, Special, DirMeta, Begin): u8 kind, u8 flags, u32 mode bits, u32 uid, u32 gid,
///           i64 atime s, u32 atime ns, i64 mtime s, u32 mtime ns, [flags 1: u32 length, xattr block]
/// File:     metadata, i64 size, u128 content hash, size bytes      Symlink: metadata, u16 length, target bytes
/// Special:  metadata, u64 rdev (major &lt;&lt; 32 | minor)             Link: u16 length, path of the existing entry
/// Begin:    metadata, i64 size, u8 mode                            MkDir, Delete: nothing more
/// </code>
/// Batch and chunk payloads may be LZ4 or zstd compressed (frame flags); RawLength is then the decoded length and Hash
/// (FileBatch) the XXH128 of the decoded payload.
/// </summary>
internal static class FileWire
{
    /// <summary>The kind a Hello names for a file-level session.</summary>
    public const string Kind = "files";

    /// <summary>The largest frame payload of a file-level session.</summary>
    public const int MaxPayload = 2 << 20;

    /// <summary>The fixed part of a record's metadata.</summary>
    public const int MetaSize = 1 + 1 + 4 + 4 + 4 + 12 + 12;

    /// <summary>The most a record needs besides its content and xattrs: op, path, metadata and a few fixed fields.</summary>
    public const int RecordOverhead = 3 + Native.RawPath.MaxLength + MetaSize + 4 + 8 + 16 + 2 + Native.RawPath.MaxLength;

    /// <summary>The most large files one session may have open at once.</summary>
    public const int MaxOpenFiles = 64;

    /// <summary>The status of a FileEnd whose file is complete.</summary>
    public const byte EndComplete = 0;

    /// <summary>The status of a FileEnd whose file changed while it was read: the receiver discards it.</summary>
    public const byte EndAbandoned = 1;

    /// <summary>Begin mode: a new file, every non-hole chunk follows.</summary>
    public const byte BeginNew = 0;

    /// <summary>Begin mode: a copy of the target's current file, patched with the chunks that follow.</summary>
    public const byte BeginPatch = 1;

    /// <summary>A verify page: the u8 mode at the start of its payload is quick (1) or full (2); RawLength = 1 marks the last.</summary>
    public const int LastPage = 1;
}
