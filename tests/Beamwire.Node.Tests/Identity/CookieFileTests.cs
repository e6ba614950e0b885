using Xunit;

namespace Beamwire.Node.Tests.Identity;

public sealed class CookieFileTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("bw-home-").FullName;

    public void Dispose()
    {
        foreach (var f in Directory.EnumerateFiles(_home, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public void Creates_a_cookie_like_erl_when_missing()
    {
        var cookie = CookieFile.ReadOrCreate(_home);
        var path = Path.Combine(_home, ".erlang.cookie");
        Assert.Equal(20, cookie.Length);
        Assert.All(cookie, c => Assert.InRange(c, 'A', 'Z'));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Equal(cookie, File.ReadAllText(path));
        Assert.Equal(cookie, CookieFile.ReadOrCreate(_home)); // stable once written
    }

    [Fact]
    public void Reads_an_existing_cookie_and_strips_the_trailing_newline()
    {
        Write(".erlang.cookie", "secret cookie\n", UnixFileMode.UserRead);
        Assert.Equal("secret cookie", CookieFile.ReadOrCreate(_home));
    }

    [Fact]
    public void Refuses_a_cookie_file_others_can_read()
    {
        Write(".erlang.cookie", "SECRET", UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var ex = Assert.Throws<CookieException>(() => CookieFile.ReadOrCreate(_home));
        Assert.Contains("must be accessible by owner only", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc\u0001def", "Bad characters")]
    [InlineData("\n", "Too short")]
    public void Refuses_bad_cookie_text(string text, string expected)
    {
        Write(".erlang.cookie", text, UnixFileMode.UserRead);
        var ex = Assert.Throws<CookieException>(() => CookieFile.ReadOrCreate(_home));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Falls_back_to_the_xdg_location()
    {
        Directory.CreateDirectory(Path.Combine(_home, ".config", "erlang"));
        Write(Path.Combine(".config", "erlang", ".erlang.cookie"), "XDGCOOKIE", UnixFileMode.UserRead);
        var saved = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", null);
        try
        {
            Assert.Equal("XDGCOOKIE", CookieFile.ReadOrCreate(_home));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", saved);
        }
    }

    private void Write(string relative, string text, UnixFileMode mode)
    {
        var path = Path.Combine(_home, relative);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
    }
}
