namespace Sms.Replication;

/// <summary>What kind of pass ran.</summary>
public enum ReplicationMode
{
    /// <summary>Every valid block was compared against an empty target: the first copy, or one forced by the user.</summary>
    Full = 0,

    /// <summary>Only blocks whose hash changed since the last acknowledged pass were sent (also a resumed pass).</summary>
    Incremental = 1,
}
