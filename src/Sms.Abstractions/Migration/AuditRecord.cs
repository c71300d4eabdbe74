namespace Sms.Migration;

/// <summary>One entry of a task's audit trail (the seeds' CTS events: <c>addTask</c>, <c>task-start</c>, <c>task-sync</c>…).</summary>
/// <param name="At">When.</param>
/// <param name="TaskId">The task, or <see langword="null"/> for template operations.</param>
/// <param name="EventName">The event name, as CTS names it where it has one.</param>
/// <param name="Outcome"><c>normal</c>, <c>warning</c> or <c>incident</c> (the CTS trace statuses).</param>
/// <param name="Detail">What was done or what failed.</param>
public sealed record AuditRecord(DateTimeOffset At, string? TaskId, string EventName, string Outcome, string Detail);
