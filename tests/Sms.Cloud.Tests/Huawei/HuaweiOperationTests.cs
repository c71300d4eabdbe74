using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Sms.Cloud.Huawei.Operations;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiOperationTests
{
    [Property(MaxTest = 300)]
    public bool Jittered_AnyIntervalAndRandom_IsBetweenHalfAndAll(PositiveInt milliseconds, NormalFloat random)
    {
        TimeSpan interval = TimeSpan.FromMilliseconds(milliseconds.Get);
        TimeSpan wait = HuaweiPollBackoff.Jittered(interval, Math.Abs(random.Get % 1));
        return wait >= interval / 2 && wait <= interval;
    }

    [Property(MaxTest = 300)]
    public bool Next_AnyInterval_DoublesUpToTheCap(PositiveInt milliseconds, PositiveInt capMilliseconds)
    {
        TimeSpan interval = TimeSpan.FromMilliseconds(milliseconds.Get);
        TimeSpan cap = TimeSpan.FromMilliseconds(capMilliseconds.Get);
        TimeSpan next = HuaweiPollBackoff.Next(interval, cap);
        return next <= cap && (next == cap || next == interval * 2);
    }

    [Fact]
    public void Next_FromTwoSeconds_GrowsTo30SecondsAndStays()
    {
        // Given
        var intervals = new List<TimeSpan> { TimeSpan.FromSeconds(2) };

        // When
        for (int i = 0; i < 6; i++)
        {
            intervals.Add(HuaweiPollBackoff.Next(intervals[^1], TimeSpan.FromSeconds(30)));
        }

        // Then
        Assert.Equal([2, 4, 8, 16, 30, 30, 30], intervals.Select(i => (int)i.TotalSeconds));
    }

    [Theory]
    [InlineData("ecs:create-server:70a599e0-31e7-49b7-b260-868f441e862b")]
    [InlineData("evs:snapshot-rollback:9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f")]
    [InlineData("ims:create-image:4010b39b5281d3590152874bfa3b1604")]
    public void TryParse_ItsOwnIds_RoundTrips(string text)
    {
        // When
        bool parsed = HuaweiOperationId.TryParse(text, out HuaweiOperationId? id);

        // Then
        Assert.True(parsed);
        Assert.Equal(text, id.ToString());
    }

    [Fact]
    public void Flatten_RecordedEcsFailure_TakesTheServerIdAndTheSubJobReason()
    {
        // Given
        using var job = JsonDocument.Parse(EcsFixtures.JobFailed);

        // When
        (Dictionary<string, string> entities, string? code, string? reason) = HuaweiJobPolling.Flatten(job.RootElement.GetProperty("entities"));

        // Then
        Assert.Equal("b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11", entities["server_id"]);
        Assert.Equal("1", entities["sub_jobs_total"]);
        Assert.Equal("Ecs.0013", code);
        Assert.Equal("The availability zone cn-north-4a has no capacity for flavor s6.large.2.", reason);
    }

    [Fact]
    public void Flatten_RecordedEvsAndImsJobs_TakeTheirIds()
    {
        // Given
        using var evs = JsonDocument.Parse(EvsFixtures.JobSucceeded);
        using var ims = JsonDocument.Parse(ImsFixtures.JobSucceeded);

        // When
        var volume = HuaweiJobPolling.Flatten(evs.RootElement.GetProperty("entities"));
        var image = HuaweiJobPolling.Flatten(ims.RootElement.GetProperty("entities"));

        // Then
        Assert.Equal("9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", volume.Entities["volume_id"]);
        Assert.Equal("100", volume.Entities["size"]);
        Assert.Equal("a2eac9f4-d8ff-4c5f-9b8b-3f0c5b0e2a11", image.Entities["image_id"]);
        Assert.Null(image.ErrorCode);
    }

    [Fact]
    public async Task WaitForCompletionAsync_InjectedClock_PollsOnlyWhenTheClockMoves()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        var clock = new FakeTimeProvider();
        CloudOperation<CloudVolume> operation = await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "d", SizeGiB = 10, AvailabilityZone = HuaweiTestData.Zone });
        FakeJob job = harness.Fake.State.Jobs.Values.Single();

        // When
        Task wait = operation.WaitForCompletionAsync(TimeSpan.FromSeconds(2), clock);
        await Until(() => job.Answered.Count == 1);
        await Task.Delay(100);
        int beforeTheClockMoved = job.Answered.Count;

        // The client registers its next timer only after it has read the poll's answer: keep moving the clock.
        await Until(() => job.Answered.Count >= 2, () => clock.Advance(TimeSpan.FromSeconds(2)));
        await Until(() => wait.IsCompleted, () => clock.Advance(TimeSpan.FromSeconds(4)));
        await wait;

        // Then
        Assert.Equal(1, beforeTheClockMoved);
        Assert.Equal(["INIT", "RUNNING", "SUCCESS"], job.Answered);
        Assert.True(operation.HasCompleted);
    }

    private static async Task Until(Func<bool> condition, Action? meanwhile = null)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            meanwhile?.Invoke();
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
