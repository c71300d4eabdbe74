using Microsoft.Extensions.Time.Testing;
using Sms.Migration;
using Sms.Store;

namespace Sms.Agent.Hosting.Tests.Workflow;

public sealed class StoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-store-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SqliteMigrationStore Open() => new(Path.Combine(_dir, "tasks.db"), _clock);

    private static MigrationTask Task(string id) => new()
    {
        Id = id,
        Name = "web",
        Kind = MigrationKind.Block,
        Source = new MigrationSource { Disks = ["/dev/sda"], Server = new SourceServer { Name = "web" } },
        Settings = new MigrationSettings { Limits = new MigrationLimits { RateWindows = [new Sms.Replication.RateLimitWindow(new TimeOnly(9, 0), new TimeOnly(18, 0), 20)] } },
    };

    [Fact]
    public async Task TryReplace_AfterAnotherWriter_ReturnsNullAndKeepsTheOtherChange()
    {
        // Given
        var store = Open();
        var stored = await store.AddAsync(Task("a"));
        var first = await store.TryReplaceAsync(stored with { Name = "first" });

        // When: a second writer that read the same version.
        var second = await store.TryReplaceAsync(stored with { Name = "second" });

        // Then
        Assert.Equal(2, first!.Version);
        Assert.Null(second);
        Assert.Equal("first", (await Open().GetAsync("a"))!.Name);
    }

    [Fact]
    public async Task Task_RoundTripsThroughAnotherStoreInstance_WithEveryField()
    {
        // Given
        var task = Task("b") with
        {
            Stage = MigrationStage.Syncing,
            State = MigrationState.Waiting,
            Resources = [new TrackedResource(TrackedResourceKind.Subnet, "s1", ResourcePurpose.Target, "local", "v1")],
            Disks = [new DiskProgress { Index = 0, Mode = "full", BytesSent = 7, PassComplete = true, Eta = TimeSpan.FromSeconds(3) }],
        };
        await Open().AddAsync(task);

        // When
        var read = (await Open().GetAsync("b"))!;

        // Then
        Assert.Equal(MigrationStage.Syncing, read.Stage);
        Assert.Equal(task.Resources, read.Resources);
        Assert.Equal(task.Disks, read.Disks);
        Assert.Equal(task.Settings.Limits.RateWindows, read.Settings.Limits.RateWindows);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Lease_HeldUntilItExpires_ThenAnotherOwnerTakesIt()
    {
        // Given
        var store = Open();
        await store.AddAsync(Task("c"));
        Assert.True(await store.TryLeaseAsync("c", "host-a", _clock.GetUtcNow().AddSeconds(15)));

        // When
        var whileHeld = await store.TryLeaseAsync("c", "host-b", _clock.GetUtcNow().AddSeconds(15));
        var renewed = await store.TryLeaseAsync("c", "host-a", _clock.GetUtcNow().AddSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(31));
        var afterExpiry = await store.TryLeaseAsync("c", "host-b", _clock.GetUtcNow().AddSeconds(15));

        // Then
        Assert.False(whileHeld);
        Assert.True(renewed);
        Assert.True(afterExpiry);
        Assert.Equal("host-b", (await store.GetLeaseAsync("c"))!.Value.Owner);
    }

    [Fact]
    public async Task Templates_ANewDefault_ClearsTheOldDefault()
    {
        // Given
        var store = Open();
        await store.SaveMigrationTemplateAsync(new MigrationTemplate { Name = "one", IsDefault = true });

        // When
        await store.SaveMigrationTemplateAsync(new MigrationTemplate { Name = "two", IsDefault = true, Settings = new MigrationSettings { ContinuousSync = false } });
        var templates = await store.ListMigrationTemplatesAsync();

        // Then
        Assert.Equal(["one", "two"], templates.Select(t => t.Name));
        Assert.False(templates[0].IsDefault);
        Assert.True(templates[1].IsDefault);
        Assert.False(templates[1].Settings.ContinuousSync);
        Assert.True(await store.DeleteTemplateAsync("one"));
        Assert.False(await store.DeleteTemplateAsync("one"));
    }

    [Fact]
    public async Task Audit_IsKeptInOrderPerTask()
    {
        // Given
        var store = Open();
        await store.AppendAuditAsync(new AuditRecord(_clock.GetUtcNow(), "x", "addTask", "normal", "created"));
        await store.AppendAuditAsync(new AuditRecord(_clock.GetUtcNow(), "y", "addTask", "normal", "other"));
        await store.AppendAuditAsync(new AuditRecord(_clock.GetUtcNow(), "x", "task-start", "normal", "started"));

        // When
        var trail = new List<AuditRecord>();
        await foreach (var record in store.ListAuditAsync("x"))
        {
            trail.Add(record);
        }

        // Then
        Assert.Equal(["addTask", "task-start"], trail.Select(r => r.EventName));
    }
}
