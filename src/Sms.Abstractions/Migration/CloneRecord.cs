namespace Sms.Migration;

/// <summary>A test server cloned from the synced target disks.</summary>
/// <param name="ServerId">The clone server.</param>
/// <param name="Name">Its name.</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record CloneRecord(string ServerId, string Name, DateTimeOffset CreatedAt);
