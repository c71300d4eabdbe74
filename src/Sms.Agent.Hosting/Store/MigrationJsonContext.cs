using System.Text.Json.Serialization;
using Sms.Migration;

namespace Sms.Store;

/// <summary>The stable JSON of stored tasks and templates (camelCase, enums by name).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = false)]
[JsonSerializable(typeof(MigrationTask))]
[JsonSerializable(typeof(MigrationTemplate))]
[JsonSerializable(typeof(ServerTemplate))]
internal sealed partial class MigrationJsonContext : JsonSerializerContext;
