using System.Net;
using System.Net.Sockets;

namespace Sms.Receiver;

/// <summary>
/// Limits how fast one remote address can guess tokens: each address has a budget of attempts that refills at
/// <c>maxFailures</c> per <c>window</c>. An attempt takes one from the budget before its token is checked (so that
/// parallel connections cannot all slip through at once) and gives it back when the token was right; an address whose
/// budget is empty is refused without a check until it refills. IPv6 addresses count per /64, the unit one host
/// usually gets. The table is bounded: entries that have fully refilled are dropped first, and past the bound the
/// newcomers share one budget.
/// </summary>
internal sealed class FailedTokenThrottle
{
    /// <summary>The most addresses tracked one by one.</summary>
    public const int MaxTrackedAddresses = 16_384;

    private static readonly IPAddress Overflow = IPAddress.IPv6None;
    private readonly Dictionary<IPAddress, Budget> _budgets = [];
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _capacity;
    private readonly double _perSecond;

    /// <param name="maxFailures">Failed attempts allowed per window and address; 0 turns the throttle off.</param>
    /// <param name="window">The window.</param>
    /// <param name="timeProvider">The clock.</param>
    public FailedTokenThrottle(int maxFailures, TimeSpan window, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _capacity = maxFailures;
        _perSecond = maxFailures / window.TotalSeconds;
    }

    /// <summary>The number of addresses tracked.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_gate)
            {
                return _budgets.Count;
            }
        }
    }

    /// <summary>Reserves one attempt for <paramref name="remote"/>; <see langword="false"/> with the wait when its budget is empty.</summary>
    public bool TryBeginAttempt(IPAddress remote, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_capacity <= 0)
        {
            return true;
        }

        var key = KeyOf(remote);
        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (!_budgets.TryGetValue(key, out var budget))
            {
                key = MakeRoomFor(key, now);
                budget = _budgets.TryGetValue(key, out var shared) ? shared : new Budget(_capacity, now);
            }

            budget = Refilled(budget, now);
            if (budget.Credits < 1)
            {
                _budgets[key] = budget;
                retryAfter = TimeSpan.FromSeconds((1 - budget.Credits) / _perSecond);
                return false;
            }

            _budgets[key] = budget with { Credits = budget.Credits - 1 };
            return true;
        }
    }

    /// <summary>Gives back the attempt reserved for <paramref name="remote"/>: its token was right.</summary>
    public void AttemptSucceeded(IPAddress remote)
    {
        if (_capacity <= 0)
        {
            return;
        }

        var key = KeyOf(remote);
        lock (_gate)
        {
            if (!_budgets.TryGetValue(key, out var budget) && !_budgets.TryGetValue(key = Overflow, out budget))
            {
                return;
            }

            _budgets[key] = budget with { Credits = Math.Min(_capacity, budget.Credits + 1) };
        }
    }

    private static IPAddress KeyOf(IPAddress remote)
    {
        if (remote.IsIPv4MappedToIPv6)
        {
            return remote.MapToIPv4();
        }

        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remote;
        }

        Span<byte> bytes = stackalloc byte[16];
        remote.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private IPAddress MakeRoomFor(IPAddress key, long now)
    {
        if (_budgets.Count < MaxTrackedAddresses)
        {
            return key;
        }

        List<IPAddress>? full = null;
        foreach (var (address, budget) in _budgets)
        {
            if (Refilled(budget, now).Credits >= _capacity && !address.Equals(Overflow))
            {
                (full ??= []).Add(address);
            }
        }

        foreach (var address in full ?? [])
        {
            _budgets.Remove(address);
        }

        return _budgets.Count < MaxTrackedAddresses ? key : Overflow;
    }

    private Budget Refilled(Budget budget, long now)
    {
        var elapsed = _timeProvider.GetElapsedTime(budget.Timestamp, now).TotalSeconds;
        return new Budget(Math.Min(_capacity, budget.Credits + (elapsed * _perSecond)), now);
    }

    private readonly record struct Budget(double Credits, long Timestamp);
}
