namespace Sms.Cloud.Local.Operations;

/// <summary>An operation as stored.</summary>
internal sealed record OperationRow
{
    /// <summary>The id.</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="OperationKinds"/>' kinds.</summary>
    public required string Kind { get; init; }

    /// <summary>RUNNING, SUCCESS or FAIL.</summary>
    public required string Status { get; init; }

    /// <summary>The kind of value it produces (server, volume, snapshot, image), if any.</summary>
    public string? ValueKind { get; init; }

    /// <summary>The resource it creates or changes.</summary>
    public string? ResourceId { get; init; }

    /// <summary>The resource it reads from (a snapshot's volume, an image's volume), kept busy while it runs.</summary>
    public string? SourceId { get; init; }

    /// <summary>The ids it produced, as a cloud job reports them (volume_id, server_id…).</summary>
    public IReadOnlyDictionary<string, string> Entities { get; init; } = new Dictionary<string, string>();

    /// <summary>Files to delete if it fails.</summary>
    public IReadOnlyList<string> Scratch { get; init; } = [];

    /// <summary>The provider instance running it.</summary>
    public required string Owner { get; init; }

    /// <summary>The provider code of its failure.</summary>
    public string? FailCode { get; init; }

    /// <summary>Why it failed.</summary>
    public string? FailReason { get; init; }

    /// <summary>The value at completion, as JSON.</summary>
    public string? Result { get; init; }
}
