namespace Beamwire.Testing;

/// <summary>Facts about the test machine that node names depend on.</summary>
public static class TestHost
{
    /// <summary>The short host name erl uses for <c>-sname</c> nodes (the part before the first dot).</summary>
    public static string ShortName { get; } = ReadShortName();

    private static string ReadShortName()
    {
        var name = System.Net.Dns.GetHostName();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>A node name unique to this test run: <c>prefix_xxxxxx</c>.</summary>
    public static string UniqueName(string prefix) =>
        prefix + "_" + Guid.NewGuid().ToString("N")[..8];
}
