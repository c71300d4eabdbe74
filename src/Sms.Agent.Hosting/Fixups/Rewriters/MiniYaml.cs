namespace Sms.Fixups.Rewriters;

/// <summary>A node of the YAML subset netplan files are written in.</summary>
internal abstract record YamlNode;

/// <summary>A scalar (quotes removed).</summary>
/// <param name="Value">The text; empty for a null value.</param>
internal sealed record YamlScalar(string Value) : YamlNode;

/// <summary>A block or flow sequence.</summary>
/// <param name="Items">The items.</param>
internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode;

/// <summary>A block mapping, keys in their order.</summary>
/// <param name="Entries">The entries.</param>
internal sealed record YamlMapping(IReadOnlyList<KeyValuePair<string, YamlNode>> Entries) : YamlNode
{
    /// <summary>The value of a key, or <see langword="null"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The node.</returns>
    public YamlNode? Get(string key) => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>
/// Reads the YAML subset netplan configurations are written in: block mappings and sequences by indentation, plain
/// and quoted scalars, flow sequences of scalars, comments. Anything else (anchors, tags, flow mappings, block
/// scalars, several documents, tabs in indentation) is refused, so that a file not understood is never rewritten.
/// </summary>
internal static class MiniYaml
{
    /// <summary>Parses a document.</summary>
    /// <param name="text">The text.</param>
    /// <param name="node">The root node.</param>
    /// <param name="why">Why it was not understood.</param>
    /// <returns><see langword="true"/> when parsed.</returns>
    public static bool TryParse(string text, out YamlNode? node, out string? why)
    {
        node = null;
        try
        {
            var lines = Lines(text);
            var i = 0;
            node = lines.Count == 0 ? new YamlMapping([]) : Block(lines, ref i, lines[0].Indent);
            if (i < lines.Count)
            {
                throw new FormatException($"line {lines[i].Number} is indented unexpectedly");
            }

            why = null;
            return true;
        }
        catch (FormatException ex)
        {
            why = ex.Message;
            return false;
        }
    }

    /// <summary>Whether a scalar is YAML true.</summary>
    /// <param name="node">The node.</param>
    /// <returns><see langword="true"/> for true, yes, on.</returns>
    public static bool IsTrue(YamlNode? node) => node is YamlScalar { Value: var v } && v.ToLowerInvariant() is "true" or "yes" or "on";

    private static List<Line> Lines(string text)
    {
        var lines = new List<Line>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = StripComment(raw.TrimEnd('\r', ' ', '\t'));
            var content = line.TrimStart(' ');
            if (content.Length == 0)
            {
                continue;
            }

            if (content[0] == '\t')
            {
                throw new FormatException($"line {number} is indented with a tab");
            }

            if (content.StartsWith("---", StringComparison.Ordinal))
            {
                if (lines.Count == 0 && content.Trim() == "---")
                {
                    continue;
                }

                throw new FormatException($"line {number} starts another document");
            }

            if (content[0] is '%' or '&' or '*' or '!' or '{' or '?' || content.StartsWith("...", StringComparison.Ordinal))
            {
                throw new FormatException($"line {number} uses YAML this reader does not take ('{content[0]}')");
            }

            lines.Add(new Line(number, line.Length - content.Length, content));
        }

        return lines;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or ':' or '-' or '[' or ','))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line[..i].TrimEnd();
            }
        }

        return line;
    }

    private static YamlNode Block(List<Line> lines, ref int i, int indent)
        => IsItem(lines[i].Content) ? Sequence(lines, ref i, indent) : Mapping(lines, ref i, indent);

    private static bool IsItem(string content) => content == "-" || content.StartsWith("- ", StringComparison.Ordinal);

    private static YamlMapping Mapping(List<Line> lines, ref int i, int indent)
    {
        var entries = new List<KeyValuePair<string, YamlNode>>();
        while (i < lines.Count && lines[i].Indent == indent && !IsItem(lines[i].Content))
        {
            var line = lines[i];
            var (key, value) = SplitKey(line);
            if (entries.Any(e => e.Key == key))
            {
                throw new FormatException($"line {line.Number} repeats the key '{key}'");
            }

            i++;
            YamlNode node;
            if (value.Length > 0)
            {
                node = Value(value, line.Number);
            }
            else if (i < lines.Count && lines[i].Indent > indent)
            {
                node = Block(lines, ref i, lines[i].Indent);
            }
            else if (i < lines.Count && lines[i].Indent == indent && IsItem(lines[i].Content))
            {
                node = Sequence(lines, ref i, indent);
            }
            else
            {
                node = new YamlScalar(string.Empty);
            }

            entries.Add(new(key, node));
        }

        if (i < lines.Count && lines[i].Indent > indent)
        {
            throw new FormatException($"line {lines[i].Number} is indented unexpectedly");
        }

        return new YamlMapping(entries);
    }

    private static YamlSequence Sequence(List<Line> lines, ref int i, int indent)
    {
        var items = new List<YamlNode>();
        while (i < lines.Count && lines[i].Indent == indent && IsItem(lines[i].Content))
        {
            var line = lines[i];
            var rest = line.Content.Length > 1 ? line.Content[1..].TrimStart(' ') : string.Empty;
            if (rest.Length == 0)
            {
                i++;
                items.Add(i < lines.Count && lines[i].Indent > indent ? Block(lines, ref i, lines[i].Indent) : new YamlScalar(string.Empty));
                continue;
            }

            var column = indent + (line.Content.Length - rest.Length);
            if (IsItem(rest) || HasKey(rest))
            {
                // "- key: value" opens a mapping (or "- - x" a sequence) whose entries line up with "key".
                lines[i] = new Line(line.Number, column, rest);
                items.Add(Block(lines, ref i, column));
                continue;
            }

            items.Add(Value(rest, line.Number));
            i++;
        }

        return new YamlSequence(items);
    }

    private static bool HasKey(string content)
    {
        if (content[0] is '"' or '\'')
        {
            var close = content.IndexOf(content[0], 1);
            return close > 0 && content.AsSpan(close + 1).TrimStart(' ').StartsWith(":", StringComparison.Ordinal);
        }

        if (content[0] == '[')
        {
            return false;
        }

        var colon = content.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 || content.EndsWith(':');
    }

    private static (string Key, string Value) SplitKey(Line line)
    {
        var content = line.Content;
        string key;
        int after;
        if (content[0] is '"' or '\'')
        {
            var close = content.IndexOf(content[0], 1);
            if (close < 0)
            {
                throw new FormatException($"line {line.Number} has an unclosed quote");
            }

            key = content[1..close];
            after = close + 1;
            while (after < content.Length && content[after] == ' ')
            {
                after++;
            }

            if (after >= content.Length || content[after] != ':')
            {
                throw new FormatException($"line {line.Number} is not 'key: value'");
            }
        }
        else
        {
            var colon = content.IndexOf(": ", StringComparison.Ordinal);
            after = colon >= 0 ? colon : content.EndsWith(':') ? content.Length - 1 : -1;
            if (after <= 0)
            {
                throw new FormatException($"line {line.Number} is not 'key: value'");
            }

            key = content[..after].TrimEnd();
        }

        return (key, content[(after + 1)..].Trim());
    }

    private static YamlNode Value(string text, int number)
    {
        if (text[0] is '|' or '>' or '&' or '*' or '!' or '{')
        {
            throw new FormatException($"line {number} uses YAML this reader does not take ('{text[0]}')");
        }

        if (text[0] != '[')
        {
            return new YamlScalar(Scalar(text, number));
        }

        if (!text.EndsWith(']'))
        {
            throw new FormatException($"line {number} has a flow sequence over several lines");
        }

        var inner = text[1..^1].Trim();
        if (inner.Contains('[', StringComparison.Ordinal) || inner.Contains('{', StringComparison.Ordinal))
        {
            throw new FormatException($"line {number} nests flow collections");
        }

        var items = inner.Length == 0
            ? []
            : inner.Split(',').Select(item => (YamlNode)new YamlScalar(Scalar(item.Trim(), number))).ToList();
        return new YamlSequence(items);
    }

    private static string Scalar(string text, int number)
    {
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            var inner = text[1..^1];
            if (text[0] == '"' && inner.Contains('\\', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number} has an escape sequence in a double-quoted scalar");
            }

            return text[0] == '\'' ? inner.Replace("''", "'", StringComparison.Ordinal) : inner;
        }

        if (text[0] is '"' or '\'')
        {
            throw new FormatException($"line {number} has an unclosed quote");
        }

        return text;
    }

    private readonly record struct Line(int Number, int Indent, string Content);
}
