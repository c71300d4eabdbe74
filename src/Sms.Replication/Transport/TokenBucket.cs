namespace Sms.Transport;

/// <summary>
/// A token bucket that paces bytes to a rate. A caller may take more than the bucket holds (a whole frame); it then
/// waits until the debt is paid, so the long-run rate holds exactly and no frame is ever split. With a
/// <see cref="RateSchedule"/> the bucket changes rate by itself when a time window opens or closes (from the next
/// take on); it looks at the schedule only when a change is due.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _timeProvider;
    private readonly object _gate = new();
    private readonly RateSchedule? _schedule;
    private long _nextScheduleCheck;
    private double _bytesPerSecond;
    private double _burst;
    private double _tokens;
    private long _lastTimestamp;

    /// <summary>Creates a bucket.</summary>
    /// <param name="megabitsPerSecond">The rate in Mbit/s; 0 means unlimited.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public TokenBucket(double megabitsPerSecond, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _lastTimestamp = _timeProvider.GetTimestamp();
        SetRate(megabitsPerSecond);
        _tokens = _burst;
    }

    /// <summary>Creates a bucket that follows a schedule of rates, in the local time of <paramref name="timeProvider"/>.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public TokenBucket(RateSchedule schedule, TimeProvider? timeProvider = null)
        : this(schedule?.BaseMbps ?? throw new ArgumentNullException(nameof(schedule)), timeProvider)
    {
        if (!schedule.IsConstant)
        {
            _schedule = schedule;
            lock (_gate)
            {
                FollowSchedule(_lastTimestamp);
                _tokens = _burst;
            }
        }
    }

    /// <summary>The current rate in Mbit/s; 0 means unlimited.</summary>
    /// <value>The rate.</value>
    public double MegabitsPerSecond => _bytesPerSecond * 8 / 1_000_000;

    /// <summary>Changes the rate. A bucket that follows a schedule goes back to the schedule's rate at its next change.</summary>
    /// <param name="megabitsPerSecond">The new rate in Mbit/s; 0 means unlimited.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not a number.</exception>
    public void SetRate(double megabitsPerSecond)
    {
        if (double.IsNaN(megabitsPerSecond) || megabitsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(megabitsPerSecond), megabitsPerSecond, "The rate must be 0 (unlimited) or positive.");
        }

        lock (_gate)
        {
            ChangeRate(megabitsPerSecond);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> from the bucket, waiting as long as the rate requires.</summary>
    /// <param name="bytes">The bytes about to be sent.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the bytes may be sent.</returns>
    public ValueTask TakeAsync(long bytes, CancellationToken cancellationToken = default)
    {
        TimeSpan wait;
        lock (_gate)
        {
            if (_schedule is not null)
            {
                var now = _timeProvider.GetTimestamp();
                if (now >= _nextScheduleCheck)
                {
                    FollowSchedule(now);
                }
            }

            if (_bytesPerSecond <= 0)
            {
                return ValueTask.CompletedTask;
            }

            Refill();
            _tokens -= bytes;
            if (_tokens >= 0)
            {
                return ValueTask.CompletedTask;
            }

            wait = TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }

        return new ValueTask(Task.Delay(wait, _timeProvider, cancellationToken));
    }

    private void ChangeRate(double megabitsPerSecond)
    {
        Refill();
        var wasUnlimited = _bytesPerSecond <= 0;
        _bytesPerSecond = megabitsPerSecond * 1_000_000 / 8;

        // 50 ms worth of bytes may go out at once; enough to keep a link busy, small enough to hold the rate.
        _burst = Math.Max(64 * 1024, _bytesPerSecond * 0.05);
        // Leaving an unlimited period starts afresh: a debt from before it is not charged again.
        _tokens = wasUnlimited ? _burst : Math.Min(_tokens, _burst);
    }

    private void FollowSchedule(long now)
    {
        var local = TimeOnly.FromDateTime(_timeProvider.GetLocalNow().DateTime);
        var rate = _schedule!.RateAt(local);
        if (rate != MegabitsPerSecond)
        {
            ChangeRate(rate);
        }

        var wait = _schedule.UntilNextCheck(local);
        _nextScheduleCheck = now + (long)Math.Ceiling(wait.TotalSeconds * _timeProvider.TimestampFrequency);
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = _timeProvider.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        if (_bytesPerSecond > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _bytesPerSecond));
        }
    }
}
