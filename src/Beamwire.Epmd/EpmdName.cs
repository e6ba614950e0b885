namespace Beamwire.Epmd;

/// <summary>One line of a NAMES reply: <c>name {Name} at port {Port}</c>.</summary>
public sealed record EpmdName(string Name, int Port);
