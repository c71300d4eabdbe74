using System.Diagnostics;

namespace Sms.Agent.Hosting.Tests.Workflow;

/// <summary>A source disk image made by the real tools: a GPT with one partition holding ext4 with files (mkfs.ext4 -d, no root needed).</summary>
internal static class SampleDisk
{
    public const long PartitionOffset = 1 << 20;

    public static string Create(string directory, string name = "source.img", int sizeMb = 96, int files = 40)
    {
        var image = Path.Combine(directory, name);
        var tree = Directory.CreateDirectory(Path.Combine(directory, name + ".tree")).FullName;
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "source\n");
        File.WriteAllText(Path.Combine(tree, "etc", "fstab"), "/dev/vda1 / ext4 defaults 0 1\n");
        var data = Directory.CreateDirectory(Path.Combine(tree, "data")).FullName;
        var random = new Random(files);
        for (var i = 0; i < files; i++)
        {
            var bytes = new byte[random.Next(1_000, 200_000)];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(data, $"f{i:D3}.bin"), bytes);
        }

        using (var file = File.Create(image))
        {
            file.SetLength((long)sizeMb << 20);
        }

        Run("sfdisk", "label: gpt\nstart=2048, type=L\n", "-q", image);
        var partitionMb = sizeMb - 2;
        Run("mkfs.ext4", null, "-q", "-F", "-d", tree, "-E", $"offset={PartitionOffset}", image, $"{partitionMb}M");
        Directory.Delete(tree, recursive: true);
        return image;
    }

    /// <summary>Writes a file into the image's file system with debugfs.</summary>
    public static void Write(string image, string path, byte[] content)
    {
        var local = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(local, content);
            Run("debugfs", null, "-w", "-R", $"write {local} {path}", $"{image}?offset={PartitionOffset}");
        }
        finally
        {
            File.Delete(local);
        }
    }

    /// <summary>A file of the image's file system, read with debugfs (at the partition's offset).</summary>
    public static byte[] Read(string image, string path, long offset = PartitionOffset)
    {
        var local = Path.GetTempFileName();
        try
        {
            Run("debugfs", null, "-R", $"dump {path} {local}", $"{image}?offset={offset}");
            return File.ReadAllBytes(local);
        }
        finally
        {
            File.Delete(local);
        }
    }

    /// <summary>
    /// Every file of both file systems outside <c>/etc</c> (which the launch's fix-ups adapt), compared byte for byte
    /// (free space is not migrated, so images differ there).
    /// </summary>
    public static void AssertSameFiles(string source, string target)
    {
        var a = Directory.CreateTempSubdirectory("sms-a-").FullName;
        var b = Directory.CreateTempSubdirectory("sms-b-").FullName;
        try
        {
            Run("debugfs", null, "-R", $"rdump / {a}", $"{source}?offset={PartitionOffset}");
            Run("debugfs", null, "-R", $"rdump / {b}", $"{target}?offset={PartitionOffset}");
            var left = OutsideEtc(a);
            Assert.NotEmpty(left);
            Assert.Equal(left.Count, OutsideEtc(b).Count);
            foreach (var file in left)
            {
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(b, Path.GetRelativePath(a, file))));
            }
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }

    private static List<string> OutsideEtc(string root)
    {
        var files = new List<string>();
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            if (!Path.GetRelativePath(root, file).StartsWith("etc" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                files.Add(file);
            }
        }

        return files;
    }

    public static void AssertFileSystemClean(string image)
        => Run("e2fsck", null, "-fn", $"{image}?offset={PartitionOffset}");

    public static string Run(string tool, string? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
