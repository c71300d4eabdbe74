using System.Text.Json.Serialization;

namespace Sms.Files.Target;

/// <summary>The receiver's bookkeeping for one file tree, kept in the files root's <c>.sms/TREE.files.json</c>.</summary>
internal sealed record TreeState
{
    /// <summary>The tree's identity; it changes whenever the tree is reset, so stale source manifests never match.</summary>
    public required string TreeId { get; init; }

    /// <summary>The boot on which the tree was last written.</summary>
    public string BootId { get; init; } = string.Empty;

    /// <summary>How many passes the tree completed since it was created or reset; a source's manifest must name the same count.</summary>
    public long Generation { get; init; }

    /// <summary>Whether every acknowledged write is durable (the last pass ended and was flushed).</summary>
    public bool Clean { get; init; }

    /// <summary>When the state was recorded.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(TreeState))]
internal sealed partial class TreeStateJsonContext : JsonSerializerContext;
