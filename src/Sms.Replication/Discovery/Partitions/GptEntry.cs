namespace Sms.Discovery.Partitions;

/// <summary>One used entry of a GPT partition entry array.</summary>
/// <param name="Index">The position in the array, from 0; Linux numbers the partition <c>Index + 1</c>.</param>
/// <param name="TypeGuid">The partition type GUID.</param>
/// <param name="UniqueGuid">The unique partition GUID.</param>
/// <param name="FirstLba">The first LBA.</param>
/// <param name="LastLba">The last LBA (inclusive).</param>
/// <param name="Attributes">The attribute flags.</param>
/// <param name="Name">The name (UTF-16LE up to the first NUL).</param>
internal readonly record struct GptEntry(int Index, Guid TypeGuid, Guid UniqueGuid, ulong FirstLba, ulong LastLba, ulong Attributes, string Name);
