namespace Sms.Discovery;

/// <summary>How serious a feasibility finding is.</summary>
public enum CheckSeverity
{
    /// <summary>The migration can go on; the user should know.</summary>
    Warning = 0,

    /// <summary>The migration cannot go on until it is fixed.</summary>
    Error = 1,
}

/// <summary>One problem found by the feasibility checks, with the seeds' code where one exists and a fix.</summary>
/// <param name="Code">The error code, for example <c>SMS.1351</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong, in the seeds' words where they have them.</param>
/// <param name="Fix">What to do about it.</param>
public sealed record CheckFinding(SmsErrorCode Code, CheckSeverity Severity, string Message, string Fix);
