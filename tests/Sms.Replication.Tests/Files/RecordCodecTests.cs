using FsCheck;
using FsCheck.Xunit;
using Sms.Files;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;

namespace Sms.Replication.Tests.Files;

public sealed class RecordCodecTests
{
    [Property(MaxTest = 200)]
    public void Records_WrittenThenRead_RoundTrip(int seed, PositiveInt count)
    {
        // Given: a batch of random records of every op.
        var random = new Random(seed);
        var buffer = new RecordBuffer(4 << 20);
        var written = new List<(RecordOp Op, string Path, FileEntry Entry, byte[] Data, byte[]? Xattrs)>();
        for (var i = 0; i < count.Get % 40 + 1; i++)
        {
            var op = (RecordOp)random.Next(1, 10);
            var path = $"dir{random.Next(10)}/file{i}";
            var entry = ManifestTests.RandomEntry(path, random);
            entry.Kind = op switch { RecordOp.File or RecordOp.Begin => FileKind.Regular, RecordOp.Symlink => FileKind.Symlink, RecordOp.DirMeta => FileKind.Directory, RecordOp.Special => FileKind.Fifo, _ => entry.Kind };
            entry.Permissions &= 0xFFF;
            entry.Access = new FileTime(random.NextInt64(), (uint)random.Next(1_000_000_000));
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            var xattrs = random.Next(3) == 0 ? Xattrs(random) : null;
            buffer.Begin(op, path);
            switch (op)
            {
                case RecordOp.File:
                    buffer.WriteMeta(entry, MetaFlags.None, xattrs);
                    buffer.WriteInt64(data.Length);
                    buffer.WriteUInt128(entry.Hash);
                    buffer.WriteBytes(data);
                    break;
                case RecordOp.Meta:
                case RecordOp.DirMeta:
                    buffer.WriteMeta(entry, MetaFlags.ReplaceXattrs, xattrs);
                    break;
                case RecordOp.Symlink:
                    buffer.WriteMeta(entry, MetaFlags.None, xattrs);
                    buffer.WriteUInt16((ushort)data.Length);
                    buffer.WriteBytes(data);
                    break;
                case RecordOp.Special:
                    buffer.WriteMeta(entry, MetaFlags.None, xattrs);
                    buffer.WriteUInt64(entry.Rdev);
                    break;
                case RecordOp.Link:
                    buffer.WriteUInt16((ushort)data.Length);
                    buffer.WriteBytes(data);
                    break;
                case RecordOp.Begin:
                    buffer.WriteMeta(entry, MetaFlags.Sparse, xattrs);
                    buffer.WriteInt64(data.Length);
                    buffer.WriteByte(FileWire.BeginPatch);
                    break;
            }

            written.Add((op, path, entry, data, xattrs));
        }

        // When
        var reader = new RecordReader(buffer.Written);
        var read = 0;
        while (!reader.End)
        {
            var r = reader.Read();
            var (op, path, entry, data, xattrs) = written[read++];

            // Then
            Assert.Equal(op, r.Op);
            Assert.Equal(path, RawPath.FromBytes(r.Path));
            if (op is RecordOp.MkDir or RecordOp.Delete)
            {
                continue;
            }

            if (op == RecordOp.Link)
            {
                Assert.Equal(data, r.Data.ToArray());
                continue;
            }

            Assert.Equal(entry.Kind, r.Kind);
            Assert.Equal(entry.Permissions, r.Permissions);
            Assert.Equal(entry.Uid, r.Uid);
            Assert.Equal(entry.Gid, r.Gid);
            Assert.Equal(entry.Modify, r.Modify);
            Assert.Equal(entry.Access, r.Access);
            Assert.Equal(xattrs ?? [], r.Xattrs.ToArray());
            if (op is RecordOp.File or RecordOp.Symlink)
            {
                Assert.Equal(data, r.Data.ToArray());
            }
        }

        Assert.Equal(written.Count, read);
    }

    [Property(MaxTest = 200)]
    public void Read_TruncatedRecord_ThrowsProtocolViolation(PositiveInt cut)
    {
        // Given: one File record, cut short anywhere.
        var buffer = new RecordBuffer(4096);
        buffer.Begin(RecordOp.File, "a/b");
        buffer.WriteMeta(new FileEntry("a/b") { Kind = FileKind.Regular }, MetaFlags.None, Xattrs(new Random(1)));
        buffer.WriteInt64(100);
        buffer.WriteUInt128(UInt128.One);
        buffer.WriteBytes(new byte[100]);
        var bytes = buffer.Written.ToArray();
        var length = cut.Get % bytes.Length;

        // When
        var error = Assert.Throws<ReplicationProtocolException>(() =>
        {
            var reader = new RecordReader(bytes.AsSpan(0, length));
            while (!reader.End)
            {
                reader.Read();
            }
        });

        // Then (an empty prefix reads nothing and does not throw; FsCheck gives lengths from 1)
        Assert.Equal(SmsErrorCode.ProtocolViolation, error.ErrorCode);
    }

    private static byte[] Xattrs(Random random)
    {
        var block = new List<byte> { 0, 2 };
        foreach (var name in new[] { "user.one", "user.two" })
        {
            block.Add((byte)name.Length);
            block.AddRange(System.Text.Encoding.ASCII.GetBytes(name));
            var value = new byte[random.Next(0, 50)];
            random.NextBytes(value);
            block.AddRange([0, 0, 0, (byte)value.Length]);
            block.AddRange(value);
        }

        return [.. block];
    }
}
