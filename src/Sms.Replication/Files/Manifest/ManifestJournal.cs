using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.IO.Hashing;
using Sms.Files.Native;

namespace Sms.Files.Manifest;

/// <summary>
/// The changes the target acknowledged during a pass, appended as they arrive:
/// <code>
/// header: "SMSJ" u16 version u16 0, tree id (16 bytes), generation of the manifest it applies to (u64)
/// record: u32 body-length, u64 XXH64(body), body = u8 op (1 upsert: an entry as in the manifest; 2 remove: varint
///         length, path; 3 the pass completed: varint new generation; 4 touched: varint length, path of a directory
///         whose names changed on the target, so its metadata must be applied again)
/// </code>
/// Replay stops at the first torn or damaged record: what follows it was not acknowledged durably on this side, and is
/// sent again. A process kill loses nothing that reached the page cache; the writes are not fsynced one by one.
/// </summary>
internal sealed class ManifestJournal : IDisposable
{
    private const uint Magic = 0x534D534A;
    private const int HeaderSize = 32;
    private const byte OpUpsert = 1;
    private const byte OpRemove = 2;
    private const byte OpCompleted = 3;
    private const byte OpTouched = 4;
    private readonly FileStream _stream;
    private readonly ByteWriter _record = new(4096);
    private readonly ByteWriter _pending = new(64 * 1024);

    private ManifestJournal(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Starts an empty journal for a tree (replacing any old one).</summary>
    public static ManifestJournal Create(string path, Guid treeId, long generation)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], FileManifest.Version);
        treeId.TryWriteBytes(header[8..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(header[24..], generation);
        stream.Write(header);
        return new ManifestJournal(stream);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Upsert(FileEntry entry)
    {
        _record.Clear();
        _record.WriteByte(OpUpsert);
        ManifestCodec.Write(_record, entry, previousPath: null);
        Frame();
    }

    public void Remove(string path)
    {
        _record.Clear();
        _record.WriteByte(OpRemove);
        _record.WriteVarint((ulong)path.Length);
        _record.WriteRaw(path);
        Frame();
    }

    /// <summary>Records that names changed in a directory on the target: its times there are no longer the manifest's.</summary>
    public void Touch(string directory)
    {
        _record.Clear();
        _record.WriteByte(OpTouched);
        _record.WriteVarint((ulong)directory.Length);
        _record.WriteRaw(directory);
        Frame();
    }

    /// <summary>Records that the receiver completed the pass: the manifest now describes that generation of the tree.</summary>
    public void Completed(long generation)
    {
        _record.Clear();
        _record.WriteByte(OpCompleted);
        _record.WriteVarint((ulong)generation);
        Frame();
        Flush();
    }

    /// <summary>Hands the appended records to the operating system.</summary>
    public void Flush()
    {
        if (_pending.Length > 0)
        {
            _stream.Write(_pending.WrittenSpan);
            _pending.Clear();
        }
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
        _record.Dispose();
        _pending.Dispose();
    }

    /// <summary>Applies a journal's records to a manifest of the same tree; a missing or foreign journal changes nothing.</summary>
    public static int Replay(string path, FileManifest manifest)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return 0;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic
            || new Guid(bytes.AsSpan(8, 16), bigEndian: true) != manifest.TreeId
            || BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(24)) != manifest.Generation)
        {
            return 0;
        }

        var applied = 0;
        var at = HeaderSize;
        while (at + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length == 0 || length > (uint)(bytes.Length - at - 12))
            {
                break;
            }

            var body = bytes.AsSpan(at + 12, (int)length);
            if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(at + 4)))
            {
                break;
            }

            try
            {
                var reader = new ByteReader(body);
                switch (reader.ReadByte())
                {
                    case OpUpsert:
                        var entry = ManifestCodec.Read(ref reader, null);
                        manifest.Entries[entry.Path] = entry;
                        break;
                    case OpRemove:
                        var removed = RawPath.FromBytes(reader.ReadBytes(reader.ReadLength(RawPath.MaxLength)));
                        manifest.Entries.Remove(removed);
                        break;
                    case OpTouched:
                        var touched = RawPath.FromBytes(reader.ReadBytes(reader.ReadLength(RawPath.MaxLength)));
                        if (manifest.Entries.TryGetValue(touched, out var directory))
                        {
                            directory.Flags |= EntryFlags.Racy;
                        }

                        break;
                    case OpCompleted:
                        manifest.Generation = (long)reader.ReadVarint();
                        break;
                    default:
                        return applied;
                }
            }
            catch (FormatException)
            {
                break;
            }

            applied++;
            at += 12 + (int)length;
        }

        return applied;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Frame()
    {
        var body = _record.WrittenSpan;
        var head = _pending.Reserve(12);
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)body.Length);
        BinaryPrimitives.WriteUInt64BigEndian(head[4..], XxHash64.HashToUInt64(body));
        _pending.WriteBytes(body);
        if (_pending.Length >= 60 * 1024)
        {
            Flush();
        }
    }
}
