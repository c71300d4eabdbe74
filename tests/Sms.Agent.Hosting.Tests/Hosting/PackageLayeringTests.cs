using System.Reflection;

namespace Sms.Agent.Hosting.Tests.Hosting;

/// <summary>Dependencies point down only: Abstractions ← Replication, Cloud ← Agent.Hosting.</summary>
public sealed class PackageLayeringTests
{
    [Theory]
    [InlineData("Sms.Abstractions", new string[] { "Sms.", "Microsoft.Extensions." })]
    [InlineData("Sms.Replication", new string[] { "Sms.Cloud", "Sms.Agent.Hosting", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Configuration" })]
    [InlineData("Sms.Cloud", new string[] { "Sms.Replication", "Sms.Agent.Hosting" })]
    public void Package_ReferencesNothingAboveIt(string package, string[] forbiddenPrefixes)
    {
        // Given
        var assembly = Assembly.Load(package);

        // When
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        // Then
        foreach (var reference in references)
        {
            Assert.False(
                forbiddenPrefixes.Any(p => reference.StartsWith(p, StringComparison.Ordinal) && reference != package),
                $"{package} references {reference}");
        }
    }
}
