using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>One partition as <c>sfdisk --json</c> prints it (in sectors).</summary>
public sealed record SfdiskPartition(int Number, long Start, long Size, string Type, bool Bootable, string? Uuid, string? Name);

/// <summary>A table as <c>sfdisk --json</c> prints it.</summary>
public sealed record SfdiskTable(string Label, string Id, int SectorSize, long? FirstLba, long? LastLba, IReadOnlyList<SfdiskPartition> Partitions);

/// <summary>One partition as <c>sgdisk -i N</c> prints it.</summary>
public sealed record SgdiskPartition(string TypeGuid, string UniqueGuid, long FirstSector, long LastSector, string Name);

/// <summary>Runs the real partitioning tools (util-linux fdisk/sfdisk, gdisk's sgdisk, parted) on image files.</summary>
internal static class PartitionTools
{
    public const string InstallHint = "apt-get install fdisk gdisk parted";

    /// <summary>A sparse image file of <paramref name="length"/> bytes.</summary>
    public static string CreateImage(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
        return path;
    }

    /// <summary>Runs a tool with a C locale; fails the test when it is missing or fails.</summary>
    public static string Run(string tool, string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"'{tool}' is not installed ({InstallHint}): {ex.Message}");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
            return stdout.Result;
        }
    }

    /// <summary>Runs a <c>mkfs.*</c> tool; fails with the package to install when it is missing.</summary>
    public static void MakeFileSystem(string package, string tool, params string[] arguments)
    {
        if (!Exists(tool))
        {
            Assert.Fail($"'{tool}' is not installed (apt-get install {package})");
        }

        Run(tool, null, arguments);
    }

    /// <summary>Parses <c>sfdisk --json IMAGE</c>.</summary>
    public static SfdiskTable SfdiskJson(string image)
    {
        using var json = JsonDocument.Parse(Run("sfdisk", null, "--json", image));
        var table = json.RootElement.GetProperty("partitiontable");
        var partitions = new List<SfdiskPartition>();
        if (table.TryGetProperty("partitions", out var list))
        {
            foreach (var p in list.EnumerateArray())
            {
                partitions.Add(new SfdiskPartition(
                    NumberOf(image, p.GetProperty("node").GetString()!),
                    p.GetProperty("start").GetInt64(),
                    p.GetProperty("size").GetInt64(),
                    p.GetProperty("type").GetString()!,
                    p.TryGetProperty("bootable", out var bootable) && bootable.GetBoolean(),
                    p.TryGetProperty("uuid", out var uuid) ? uuid.GetString() : null,
                    p.TryGetProperty("name", out var name) ? name.GetString() : null));
            }
        }

        return new SfdiskTable(
            table.GetProperty("label").GetString()!,
            table.GetProperty("id").GetString()!,
            table.TryGetProperty("sectorsize", out var sectorSize) ? sectorSize.GetInt32() : 512,
            table.TryGetProperty("firstlba", out var firstLba) ? firstLba.GetInt64() : null,
            table.TryGetProperty("lastlba", out var lastLba) ? lastLba.GetInt64() : null,
            partitions);
    }

    /// <summary>Parses <c>sgdisk -i N IMAGE</c>.</summary>
    public static SgdiskPartition SgdiskInfo(string image, int number)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Run("sgdisk", null, "-i", number.ToString(CultureInfo.InvariantCulture), image).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        static string FirstWord(string text) => text.Split(' ', 2)[0];
        var name = fields["Partition name"];
        return new SgdiskPartition(
            FirstWord(fields["Partition GUID code"]),
            FirstWord(fields["Partition unique GUID"]),
            long.Parse(FirstWord(fields["First sector"]), CultureInfo.InvariantCulture),
            long.Parse(FirstWord(fields["Last sector"]), CultureInfo.InvariantCulture),
            name.Length >= 2 && name[0] == '\'' && name[^1] == '\'' ? name[1..^1] : name);
    }

    /// <summary>
    /// Parses <c>fdisk -b SIZE -l -o COLUMNS IMAGE</c> (this util-linux's sfdisk has no <c>--sector-size</c>): the disk
    /// identifier, and the rows under the header line split on blanks, the last column taking the rest of the line.
    /// </summary>
    public static (string DiskId, List<string[]> Rows) FdiskList(string image, int sectorSize, params string[] columns)
    {
        var output = Run("fdisk", null, "-b", sectorSize.ToString(CultureInfo.InvariantCulture), "-l", "-o", string.Join(',', columns), image);
        var rows = new List<string[]>();
        var diskId = "";
        var inTable = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("Disk identifier:", StringComparison.Ordinal))
            {
                diskId = line["Disk identifier:".Length..].Trim();
            }
            else if (line.StartsWith("Device", StringComparison.Ordinal))
            {
                inTable = true;
            }
            else if (inTable && line.StartsWith(image, StringComparison.Ordinal))
            {
                rows.Add(line.Split(' ', columns.Length, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return (diskId, rows);
    }

    /// <summary>Overwrites bytes of an image in place.</summary>
    public static void Overwrite(string image, long offset, byte[] bytes)
    {
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, bytes, offset);
    }

    /// <summary>Reads bytes of an image.</summary>
    public static byte[] ReadBytes(string image, long offset, int count)
    {
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.Read);
        var bytes = new byte[count];
        RandomAccess.Read(handle, bytes, offset);
        return bytes;
    }

    /// <summary>The partition number in a node name such as <c>/tmp/x/disk.img5</c>.</summary>
    public static int NumberOf(string image, string node)
        => int.Parse(node[image.Length..].TrimStart('p'), CultureInfo.InvariantCulture);

    private static bool Exists(string tool) => Resolve(tool) != tool || Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static string Resolve(string tool)
    {
        foreach (var directory in new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" })
        {
            var path = Path.Combine(directory, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return tool;
    }
}
