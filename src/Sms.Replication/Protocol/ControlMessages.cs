using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Protocol;

/// <summary>The session request a source sends first.</summary>
internal sealed record HelloMessage
{
    public required string Token { get; init; }

    public required string Volume { get; init; }

    public required long SourceLength { get; init; }

    public required int BlockSize { get; init; }

    /// <summary>Empty the volume first (a full pass).</summary>
    public bool Reset { get; init; }

    /// <summary>The volume id the source's manifest describes; a different id on the receiver forces a reset.</summary>
    public string? ExpectedVolumeId { get; init; }

    /// <summary>The kind of session: <c>blocks</c> (the default, also when absent) or <c>files</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>For a files session: the tree name under the receiver's files root.</summary>
    public string? Tree { get; init; }

    /// <summary>For a files session: the number of passes the tree had completed when the source's manifest was written; another count on the receiver forces a reset.</summary>
    public long? ExpectedGeneration { get; init; }
}

/// <summary>The receiver's answer to <see cref="HelloMessage"/>.</summary>
internal sealed record HelloAckMessage
{
    public required string VolumeId { get; init; }

    public required long VolumeLength { get; init; }

    /// <summary>Whether the volume was emptied (or created) for this session: the source must treat it as all zeros.</summary>
    public required bool Reset { get; init; }

    /// <summary>Why it was reset, when it was.</summary>
    public string? ResetReason { get; init; }

    public required int MaxPayload { get; init; }
}

/// <summary>The receiver's answer to an End frame.</summary>
internal sealed record EndAckMessage
{
    public required long BytesWritten { get; init; }

    public required long FramesWritten { get; init; }
}

/// <summary>An error either side sends before closing.</summary>
internal sealed record ErrorMessage
{
    public required string Code { get; init; }

    public required string Message { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(HelloAckMessage))]
[JsonSerializable(typeof(EndAckMessage))]
[JsonSerializable(typeof(ErrorMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;

internal static class ControlMessages
{
    public static byte[] Serialize<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        => JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);

    public static T Deserialize<T>(System.Buffers.ReadOnlySequence<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize(ref reader, typeInfo)
                ?? throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Empty {typeof(T).Name} payload.");
        }
        catch (JsonException ex)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Malformed {typeof(T).Name.Replace("Message", string.Empty, StringComparison.Ordinal)} payload: {ex.Message}", ex);
        }
    }
}
