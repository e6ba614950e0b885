using Beamwire.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Beamwire.Hosting.Configuration;

/// <summary>
/// Fills <see cref="BeamNodeOptions"/> in the documented order, each step overriding the one before:
/// defaults, then the Elixir release variables, then the <c>Beamwire</c> configuration section (which
/// itself layers appsettings.json, <c>Beamwire__*</c> environment variables and the command line as the
/// host arranged them), then the code's own configure callback (registered after this).
/// </summary>
internal sealed class BeamNodeOptionsSetup(IConfigurationSection? section, IConfiguration? root) : IConfigureOptions<BeamNodeOptions>
{
    public void Configure(BeamNodeOptions options)
    {
        Release(root).ApplyTo(options);
        if (section is not null) NodeSettingKeys.Apply(section, options);
    }

    /// <summary>The release variables from the host's configuration (which holds the environment), else the process environment.</summary>
    public static ReleaseEnvironment Release(IConfiguration? root) =>
        ReleaseEnvironment.Read(root is null ? Environment.GetEnvironmentVariable : name => root[name]);
}

/// <summary>Checks the finished options at host start (<c>ValidateOnStart</c>) with the node's own rules.</summary>
internal sealed class BeamNodeOptionsValidator(BeamwireHostOptions host) : IValidateOptions<BeamNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, BeamNodeOptions options)
    {
        if (!host.DistributionEnabled) return ValidateOptionsResult.Skip; // no node will start
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Beamwire:{ex.ParamName}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
