using Beamwire.Hosting.Configuration;
using Beamwire.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Beamwire.Hosting;

/// <summary>Registers a Beamwire node whose lifetime is the host's.</summary>
public static class BeamwireServiceCollectionExtensions
{
    /// <summary>
    /// A node configured from <paramref name="section"/> (usually <c>Configuration.GetSection("Beamwire")</c>:
    /// keys <c>Name</c>, <c>Cookie</c>, <c>CookieFile</c>, <c>NameMode</c>, <c>NetTickTime</c> ..., see docs/hosting.md),
    /// over the Elixir release variables <c>RELEASE_NODE</c>, <c>RELEASE_COOKIE</c>, <c>RELEASE_DISTRIBUTION</c>.
    /// </summary>
    public static IBeamwireBuilder AddBeamwireNode(this IServiceCollection services, IConfiguration section) =>
        AddBeamwireNode(services, section, null);

    /// <summary>A node configured in code (over the Elixir release variables).</summary>
    public static IBeamwireBuilder AddBeamwireNode(this IServiceCollection services, Action<BeamNodeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBeamwireNode(services, null, configure);
    }

    /// <summary>A node configured from <paramref name="section"/>, then by <paramref name="configure"/>.</summary>
    public static IBeamwireBuilder AddBeamwireNode(this IServiceCollection services, IConfiguration? section, Action<BeamNodeOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(BeamNodeHost)))
            throw new InvalidOperationException("AddBeamwireNode was already called: a host runs one Beamwire node.");
        var nodeSection = section as IConfigurationSection ?? (section is null ? null : new RootSection(section));
        services.AddSingleton<IConfigureOptions<BeamNodeOptions>>(sp => new BeamNodeOptionsSetup(nodeSection, sp.GetService<IConfiguration>()));
        var options = services.AddOptions<BeamNodeOptions>();
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BeamNodeOptions>, BeamNodeOptionsValidator>());
        services.AddSingleton(sp => new BeamwireHostOptions
        {
            DistributionEnabled = BeamNodeOptionsSetup.Release(sp.GetService<IConfiguration>()).DistributionEnabled,
        });
        services.AddSingleton<BeamNodeHost>();
        // Resolving the node before the host started it starts it then (blocking once, for the bind and the epmd registration).
        services.AddSingleton(sp => sp.GetRequiredService<BeamNodeHost>().GetOrStartAsync().GetAwaiter().GetResult());
        services.AddHostedService<BeamNodeHostedService>();
        return new BeamwireBuilder(services);
    }

    /// <summary>A configuration root given where a section is expected: its keys are read as the section's.</summary>
    private sealed class RootSection(IConfiguration root) : IConfigurationSection
    {
        public string? this[string key] { get => root[key]; set => root[key] = value; }

        public string Key => "";

        public string Path => "";

        public string? Value { get => null; set => throw new NotSupportedException(); }

        public IEnumerable<IConfigurationSection> GetChildren() => root.GetChildren();

        public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => root.GetReloadToken();

        public IConfigurationSection GetSection(string key) => root.GetSection(key);
    }
}
