using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sms.Files.Manifest;

/// <summary>
/// The source's record of what the target tree holds: one entry per path. Kept in the state directory as
/// <c>TREE.files.manifest</c>, a compact binary file written atomically (temporary file, fsync, rename):
/// <code>
///  0      4       6       8                24          28      32          40           48       64
///  +------+-------+-------+----------------+-----------+-------+-----------+------------+--------+
///  |"SMSF"|version|  0    |   tree id      | chunk size|   0   |  entries  | generation | zeros  |
///  +------+-------+-------+----------------+-----------+-------+-----------+------------+--------+
///  entries sorted by path (see <see cref="ManifestCodec"/>), then the XXH128 of everything before it.
/// </code>
/// During a pass, acknowledged changes are appended to <c>TREE.files.journal</c> (see <see cref="ManifestJournal"/>)
/// and replayed on load, so a killed pass resumes without resending what the target acknowledged. Nothing is
/// fsynced: the generation (passes the receiver's tree completed, which the receiver checks in the handshake) shows a
/// manifest that a crash left behind the target, and the receiver then resets the tree rather than trust it.
/// </summary>
internal sealed class FileManifest
{
    public const uint Magic = 0x534D5346;
    public const ushort Version = 1;
    public const int HeaderSize = 64;
    private const int TrailerSize = 16;

    public FileManifest(Guid treeId, Dictionary<string, FileEntry>? entries = null)
    {
        TreeId = treeId;
        Entries = entries ?? new Dictionary<string, FileEntry>(StringComparer.Ordinal);
    }

    public Guid TreeId { get; }

    /// <summary>The number of passes the target tree had completed when this manifest described it.</summary>
    public long Generation { get; set; }

    /// <summary>The entries by path; read-only while a pass walks the tree.</summary>
    public Dictionary<string, FileEntry> Entries { get; }

    public static string PathFor(string stateDirectory, string tree) => System.IO.Path.Combine(stateDirectory, tree + ".files.manifest");

    public static string JournalPathFor(string stateDirectory, string tree) => System.IO.Path.Combine(stateDirectory, tree + ".files.journal");

    /// <summary>Loads the manifest and replays its journal; <see langword="null"/> (with the reason) when there is none or it is damaged.</summary>
    public static FileManifest? TryLoad(string path, string journalPath, out string? reason)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                reason = "there is no manifest of an earlier pass";
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"the manifest cannot be read ({ex.Message})";
            return null;
        }

        var manifest = TryDecode(bytes, out reason);
        if (manifest is not null)
        {
            ManifestJournal.Replay(journalPath, manifest);
        }

        return manifest;
    }

    /// <summary>Decodes a manifest file's bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FileManifest? TryDecode(ReadOnlySpan<byte> bytes, out string? reason)
    {
        reason = null;
        if (bytes.Length < HeaderSize + TrailerSize || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic)
        {
            reason = "the manifest is not a file-tree manifest";
            return null;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]) != Version || BinaryPrimitives.ReadInt32BigEndian(bytes[24..]) != FileReplicationSettings.ChunkSize)
        {
            reason = "the manifest was written by another version";
            return null;
        }

        var body = bytes[..^TrailerSize];
        if (XxHash128.HashToUInt128(body) != BinaryPrimitives.ReadUInt128BigEndian(bytes[^TrailerSize..]))
        {
            reason = "the manifest is damaged (checksum mismatch)";
            return null;
        }

        var treeId = new Guid(bytes.Slice(8, 16), bigEndian: true);
        var count = BinaryPrimitives.ReadInt64BigEndian(bytes[32..]);
        if (count < 0 || count > body.Length)
        {
            reason = "the manifest is damaged (entry count)";
            return null;
        }

        var entries = new Dictionary<string, FileEntry>((int)count, StringComparer.Ordinal);
        var reader = new ByteReader(body[HeaderSize..]);
        string? previous = null;
        try
        {
            for (long i = 0; i < count; i++)
            {
                var entry = ManifestCodec.Read(ref reader, previous);
                entries[entry.Path] = entry;
                previous = entry.Path;
            }
        }
        catch (FormatException ex)
        {
            reason = $"the manifest is damaged ({ex.Message})";
            return null;
        }

        if (!reader.End)
        {
            reason = "the manifest is damaged (trailing bytes)";
            return null;
        }

        return new FileManifest(treeId, entries) { Generation = BinaryPrimitives.ReadInt64BigEndian(bytes[40..]) };
    }

    /// <summary>Encodes the manifest (entries sorted by path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte[] Encode()
    {
        var sorted = new FileEntry[Entries.Count];
        Entries.Values.CopyTo(sorted, 0);
        Array.Sort(sorted, ByPath);
        using var w = new ByteWriter(Math.Max(64 * 1024, sorted.Length * 64));
        var header = w.Reserve(HeaderSize);
        header.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], Version);
        TreeId.TryWriteBytes(header.Slice(8, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(header[24..], FileReplicationSettings.ChunkSize);
        BinaryPrimitives.WriteInt64BigEndian(header[32..], sorted.Length);
        BinaryPrimitives.WriteInt64BigEndian(header[40..], Generation);
        string? previous = null;
        foreach (var entry in sorted)
        {
            ManifestCodec.Write(w, entry, previous);
            previous = entry.Path;
        }

        var hash = XxHash128.HashToUInt128(w.WrittenSpan);
        w.WriteUInt128(hash);
        return w.WrittenSpan.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ByPath(FileEntry a, FileEntry b) => string.CompareOrdinal(a.Path, b.Path);

    /// <summary>Writes the manifest atomically: a temporary file renamed over the old one (see the remarks on generations).</summary>
    public void Save(string path) => Write(path, Encode());

    /// <summary>Writes encoded manifest bytes atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(bytes);
        }

        File.Move(temp, path, overwrite: true);
    }
}
