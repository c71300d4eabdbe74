namespace Sms.Integration.Tests.Links;

/// <summary>
/// How long each link measurement runs: a short version in CI (6 s), the full one on demand with
/// <c>SMS_FULL_LINK_TESTS=1</c> (30 s), as the README says.
/// </summary>
public static class LinkScale
{
    public static bool Full { get; } = Environment.GetEnvironmentVariable("SMS_FULL_LINK_TESTS") == "1";

    public static double Seconds => Full ? 30 : 6;

    public static string Name => Full ? "full (SMS_FULL_LINK_TESTS=1)" : "short (set SMS_FULL_LINK_TESTS=1 for 30 s)";
}
