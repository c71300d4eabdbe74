namespace Sms.Files;

/// <summary>The patterns in force for one pass.</summary>
internal sealed class ExclusionSet
{
    private readonly GlobPattern[] _patterns;

    public ExclusionSet(IEnumerable<string> patterns)
    {
        var list = new List<GlobPattern>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in patterns)
        {
            if (seen.Add(text))
            {
                list.Add(GlobPattern.Parse(text));
            }
        }

        _patterns = [.. list];
    }

    public bool IsEmpty => _patterns.Length == 0;

    public int Count => _patterns.Length;

    /// <summary>Whether the entry at <paramref name="relativePath"/> is excluded (its ancestors are not looked at).</summary>
    public bool IsExcluded(string relativePath, bool isDirectory)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(relativePath, isDirectory))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the entry or one of its ancestor directories is excluded: it is out of the pass's reach.</summary>
    public bool IsExcludedOrUnder(string relativePath, bool isDirectory)
    {
        if (IsEmpty)
        {
            return false;
        }

        if (IsExcluded(relativePath, isDirectory))
        {
            return true;
        }

        var end = relativePath.LastIndexOf('/');
        while (end > 0)
        {
            if (IsExcluded(relativePath[..end], isDirectory: true))
            {
                return true;
            }

            end = relativePath.LastIndexOf('/', end - 1);
        }

        return false;
    }
}
