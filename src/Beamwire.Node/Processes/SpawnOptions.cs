namespace Beamwire.Node;

/// <summary>How a process starts (the parts of <c>spawn_opt</c> that apply to .NET processes).</summary>
public sealed record SpawnOptions
{
    /// <summary>Registers the process under this name before it runs (spawning fails if the name is taken).</summary>
    public string? Name { get; init; }

    /// <summary>Starts with <c>trap_exit</c> set, so no exit signal can arrive before the body sets it.</summary>
    public bool TrapExit { get; init; }
}
