namespace Sms.Migration;

/// <summary>Why a task's last step failed.</summary>
/// <param name="Code">The error code (the seeds' <c>SMS.xxxx</c> where one exists).</param>
/// <param name="Message">What happened, in one line.</param>
/// <param name="At">When.</param>
/// <param name="Transient">Whether running the step again may succeed without a change (a broken connection, say).</param>
public sealed record MigrationError(string Code, string Message, DateTimeOffset At, bool Transient);
