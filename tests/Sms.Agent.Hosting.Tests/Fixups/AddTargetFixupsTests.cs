using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sms.Fixups;

namespace Sms.Agent.Hosting.Tests.Fixups;

public sealed class AddTargetFixupsTests
{
    [Fact]
    public void AddTargetFixups_CalledTwice_RegistersEachStepOnceInOrder()
    {
        // Given
        var services = new ServiceCollection();

        // When
        services.AddSms().AddTargetFixups();
        services.AddSms().AddTargetFixups();
        using var provider = services.BuildServiceProvider();

        // Then
        Assert.Equal(3, services.Count(d => d.ServiceType == typeof(ITargetFixup)));
        Assert.Single(services, d => d.ServiceType == typeof(TargetFixupRunner));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TargetFixupOptions>));
        var runner = provider.GetRequiredService<TargetFixupRunner>();
        Assert.Equal([FstabByUuid.StepName, NetworkToDhcp.StepName, RemoveSourceCloudAgents.StepName], runner.Fixups.Select(f => f.Name));
    }

    [Fact]
    public void AddTargetFixups_UserStepAndAgent_RunAfterTheBuiltInsWithTheAgentKnown()
    {
        // Given
        var services = new ServiceCollection();
        var agent = new SourceCloudAgent { Name = "acme-monitor", Units = ["acme-monitor.service"], Paths = ["/opt/acme"] };

        // When
        services.AddSms().AddTargetFixups(o => o.Agents.Add(agent));
        services.AddSingleton<ITargetFixup, NoOpFixup>();
        using var provider = services.BuildServiceProvider();

        // Then
        var runner = provider.GetRequiredService<TargetFixupRunner>();
        Assert.Equal("no-op", runner.Fixups[^1].Name);
        var agents = Assert.IsType<RemoveSourceCloudAgents>(runner.Fixups[2]).Agents;
        Assert.Equal(SourceCloudAgent.BuiltIn.Count + 1, agents.Count);
        Assert.Contains(agent, agents);
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("agent-path")]
    [InlineData("agent-unit")]
    public async Task StartAsync_InvalidOptions_FailsAtStart(string problem)
    {
        // Given
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddTargetFixups(o =>
        {
            switch (problem)
            {
                case "timeout":
                    o.ToolTimeout = TimeSpan.Zero;
                    break;
                case "agent-path":
                    o.Agents.Add(new SourceCloudAgent { Name = "bad", Units = ["bad.service"], Paths = ["relative/path"] });
                    break;
                default:
                    o.Agents.Add(new SourceCloudAgent { Name = "bad", Units = ["../escape.service"] });
                    break;
            }
        });
        using var host = builder.Build();

        // When
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Then
        Assert.Contains(TargetFixupOptions.SectionName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DefaultOptions_Starts()
    {
        // Given
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddTargetFixups();
        using var host = builder.Build();

        // When
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<TargetFixupRunner>();
        await host.StopAsync();

        // Then
        Assert.Equal(3, runner.Fixups.Count);
    }

    private sealed class NoOpFixup : ITargetFixup
    {
        public string Name => "no-op";

        public Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken) => Task.FromResult(context.ToResult(Name));
    }
}
