namespace Sms.Cloud.Huawei.Operations;

/// <summary>What one poll of an operation found.</summary>
/// <param name="Completed">Whether the operation is over (successfully or not).</param>
/// <param name="Entities">The resource ids known so far (server_id, volume_id, image_id…).</param>
/// <param name="Failure">Why it failed, when it did.</param>
internal sealed record HuaweiPollOutcome(bool Completed, IReadOnlyDictionary<string, string> Entities, CloudRequestFailedException? Failure = null)
{
    public static HuaweiPollOutcome Running(IReadOnlyDictionary<string, string> entities) => new(false, entities);

    public static HuaweiPollOutcome Succeeded(IReadOnlyDictionary<string, string> entities) => new(true, entities);

    public static HuaweiPollOutcome Failed(IReadOnlyDictionary<string, string> entities, CloudRequestFailedException failure) => new(true, entities, failure);
}
