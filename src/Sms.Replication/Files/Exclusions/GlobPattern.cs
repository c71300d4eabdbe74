using Sms.Files.Native;

namespace Sms.Files;

/// <summary>
/// One exclusion pattern, matched against a path relative to the source root. <c>/proc/*</c> is anchored at the root;
/// <c>*.tmp</c> (no leading slash) matches at any depth. <c>*</c>, <c>?</c> and <c>[a-z]</c> (<c>[!a-z]</c> negated)
/// stay within one component, <c>**</c> crosses components, <c>\</c> escapes, a trailing <c>/</c> means directories only.
/// Paths and patterns are raw file-name bytes (each byte one char), so non-UTF-8 names match too.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;

    private GlobPattern(string text, string pattern, bool directoriesOnly, bool anchored)
    {
        Text = text;
        _pattern = pattern;
        DirectoriesOnly = directoriesOnly;
        Anchored = anchored;
    }

    /// <summary>The pattern as given.</summary>
    public string Text { get; }

    public bool DirectoriesOnly { get; }

    public bool Anchored { get; }

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="ArgumentException">The pattern is empty or has an unclosed <c>[</c>.</exception>
    public static GlobPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var raw = RawPath.FromText(text.Trim());
        var directoriesOnly = raw.Length > 1 && raw.EndsWith('/');
        if (directoriesOnly)
        {
            raw = raw.TrimEnd('/');
        }

        var anchored = raw.StartsWith('/');
        raw = raw.TrimStart('/');
        if (raw.Length == 0)
        {
            throw new ArgumentException($"Exclusion pattern '{text}' matches nothing (or everything): give a path or a glob.", nameof(text));
        }

        if (!BracketsClosed(raw))
        {
            throw new ArgumentException($"Exclusion pattern '{text}' has an unclosed '['.", nameof(text));
        }

        return new GlobPattern(text, anchored ? raw : "**/" + raw, directoriesOnly, anchored);
    }

    /// <summary>Whether a relative path (no leading slash) matches.</summary>
    public bool IsMatch(string relativePath, bool isDirectory)
        => (isDirectory || !DirectoriesOnly) && Match(_pattern, relativePath);

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        while (!p.IsEmpty)
        {
            var c = p[0];
            switch (c)
            {
                case '*' when p.Length > 1 && p[1] == '*':
                    {
                        var rest = p[2..];
                        if (rest.IsEmpty)
                        {
                            return true;
                        }

                        if (rest[0] == '/')
                        {
                            // "**/" is zero or more whole components.
                            rest = rest[1..];
                            if (Match(rest, s))
                            {
                                return true;
                            }

                            for (var i = 0; i < s.Length; i++)
                            {
                                if (s[i] == '/' && Match(rest, s[(i + 1)..]))
                                {
                                    return true;
                                }
                            }

                            return false;
                        }

                        for (var i = 0; i <= s.Length; i++)
                        {
                            if (Match(rest, s[i..]))
                            {
                                return true;
                            }
                        }

                        return false;
                    }

                case '*':
                    {
                        var rest = p[1..];
                        for (var i = 0; i <= s.Length; i++)
                        {
                            if (Match(rest, s[i..]))
                            {
                                return true;
                            }

                            if (i < s.Length && s[i] == '/')
                            {
                                return false;
                            }
                        }

                        return false;
                    }

                case '?':
                    if (s.IsEmpty || s[0] == '/')
                    {
                        return false;
                    }

                    p = p[1..];
                    s = s[1..];
                    break;

                case '[':
                    {
                        if (s.IsEmpty || s[0] == '/' || !MatchClass(p, s[0], out var used))
                        {
                            return false;
                        }

                        p = p[used..];
                        s = s[1..];
                        break;
                    }

                default:
                    if (c == '\\' && p.Length > 1)
                    {
                        p = p[1..];
                        c = p[0];
                    }

                    if (s.IsEmpty || s[0] != c)
                    {
                        return false;
                    }

                    p = p[1..];
                    s = s[1..];
                    break;
            }
        }

        return s.IsEmpty;
    }

    private static bool MatchClass(ReadOnlySpan<char> p, char ch, out int used)
    {
        var i = 1;
        var negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate)
        {
            i++;
        }

        var matched = false;
        var first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            var lo = p[i];
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                matched |= ch >= lo && ch <= p[i + 2];
                i += 3;
            }
            else
            {
                matched |= ch == lo;
                i++;
            }
        }

        used = i + 1;
        return matched != negate;
    }

    private static bool BracketsClosed(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '[')
            {
                var close = pattern.IndexOf(']', i + 2);
                if (close < 0)
                {
                    return false;
                }

                i = close;
            }
        }

        return true;
    }
}
