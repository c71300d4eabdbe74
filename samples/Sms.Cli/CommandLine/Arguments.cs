using System.Globalization;
using Sms.Replication;

namespace Sms.Cli.CommandLine;

/// <summary>A small, strict reader of <c>--name value</c> and <c>--flag</c> arguments: unknown options are errors.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            if (valueOptions.Contains(arg))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value."));
                if (!result._values.TryGetValue(arg, out var list))
                {
                    result._values[arg] = list = [];
                }

                list.Add(value);
            }
            else if (flagOptions.Contains(arg) && inline is null)
            {
                result._flags.Add(arg);
            }
            else
            {
                throw new UsageException($"Unknown argument '{args[i]}'.");
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string Require(string name) => Get(name) ?? throw new UsageException($"{name} is required.");

    public double GetDouble(string name, double fallback)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"{name} must be a non-negative number, not '{text}'.");
    }

    /// <summary>Every <c>--rate-window HH:MM[:SS]-HH:MM[:SS]=MBPS</c> given, checked together.</summary>
    public IReadOnlyList<RateLimitWindow> GetRateWindows(string name)
    {
        var windows = new List<RateLimitWindow>();
        foreach (var text in GetAll(name))
        {
            try
            {
                windows.Add(RateLimitWindow.Parse(text));
            }
            catch (FormatException ex)
            {
                throw new UsageException($"{name}: {ex.Message}");
            }
        }

        try
        {
            RateLimitWindow.Validate(windows, name);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"{name}: {ex.Message.Split(Environment.NewLine)[0]}");
        }

        return windows;
    }

    public int GetInt(string name, int fallback)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"{name} must be a positive whole number, not '{text}'.");
    }
}

/// <summary>The command line is wrong; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
