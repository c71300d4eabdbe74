using System.Text.RegularExpressions;

namespace Sms.Fixups.Rewriters;

/// <summary>A kernel parameter whose device was replaced by its UUID.</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Parameter">"root" or "resume".</param>
/// <param name="Device">The device it named.</param>
/// <param name="Volume">The volume.</param>
internal readonly record struct KernelParameterMapping(int Line, string Parameter, string Device, TargetVolume Volume);

/// <summary>What <see cref="KernelCommandLineRewriter.Rewrite"/> did.</summary>
/// <param name="Text">The new text.</param>
/// <param name="Mapped">The parameters changed.</param>
/// <param name="Unmapped">The device parameters left.</param>
internal sealed record KernelCommandLineRewrite(string Text, IReadOnlyList<KernelParameterMapping> Mapped, IReadOnlyList<UnmappedDevice> Unmapped);

/// <summary>
/// Rewrites <c>root=/dev/…</c> and <c>resume=/dev/…</c> kernel parameters to <c>root=UUID=…</c> wherever they are
/// written: GRUB 2's grub.cfg (<c>linux</c> lines), GRUB legacy's menu.lst (<c>kernel</c> lines),
/// <c>/etc/default/grub</c> (<c>GRUB_CMDLINE_LINUX="…"</c>) and boot loader entries (<c>options</c>). Nothing else changes.
/// </summary>
internal static partial class KernelCommandLineRewriter
{
    /// <summary>Rewrites the text.</summary>
    /// <param name="text">The file, one byte per character.</param>
    /// <param name="map">The device map.</param>
    /// <returns>The new text and what changed.</returns>
    public static KernelCommandLineRewrite Rewrite(string text, DeviceMap map)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(map);
        var lines = text.Split('\n');
        var mapped = new List<KernelParameterMapping>();
        var unmapped = new List<UnmappedDevice>();
        for (var n = 0; n < lines.Length; n++)
        {
            if (lines[n].TrimStart().StartsWith('#'))
            {
                continue;
            }

            var number = n + 1;
            lines[n] = Parameter().Replace(lines[n], match =>
            {
                var device = match.Groups["device"].Value;
                var lookup = map.Look(device);
                if (lookup.Kind == DeviceLookupKind.Mapped)
                {
                    mapped.Add(new KernelParameterMapping(number, match.Groups["key"].Value, device, lookup.Volume!));
                    return $"{match.Groups["key"].Value}=UUID={lookup.Volume!.Uuid}";
                }

                if (lookup.Kind == DeviceLookupKind.Unmapped)
                {
                    unmapped.Add(new UnmappedDevice(number, device, lookup.Reason!));
                }

                return match.Value;
            });
        }

        return new KernelCommandLineRewrite(mapped.Count == 0 ? text : string.Join('\n', lines), mapped, unmapped);
    }

    // root=/dev/sda1 after a blank, a quote or '=' (kernelopts=root=…); not real_root=, noresume=.
    [GeneratedRegex(@"(?<=^|[\s""'=])(?<key>root|resume)=(?<device>/dev/[^\s""';]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
