using Beamwire.Node.Services;
using Beamwire.Node.Tests.Processes;
using Beamwire.Terms;
using Xunit;

namespace Beamwire.Node.Tests.Services;

/// <summary>The io server answers every request, with Erlang's error replies for what is not text; the formatter refuses, never throws.</summary>
public class IoServerTests
{
    private static readonly ErlangAtom PutChars = ErlangAtom.Get("put_chars");
    private static readonly ErlangAtom Unicode = ErlangAtom.Get("unicode");

    private static ErlangTuple Put(ErlangTerm chars) => new(PutChars, Unicode, chars);

    private static ErlangTuple Format(string format, params ErlangTerm[] args) =>
        new(PutChars, Unicode, ErlangAtom.Get("io_lib"), ErlangAtom.Get("format"), new ErlangList(ErlangBinary.FromUtf8(format), new ErlangList(args)));

    public static TheoryData<string, ErlangTerm, string> Requests => new()
    {
        { "surrogate code point", Put(new ErlangList(ErlangInteger.Create(0xD800))), "{error,put_chars}" },
        { "negative code point", Put(new ErlangList(ErlangInteger.Create(-1))), "{error,put_chars}" },
        { "code point past 10FFFF", Put(new ErlangList(ErlangInteger.Create(0x110000))), "{error,put_chars}" },
        { "invalid UTF-8", Put(new ErlangBinary(new byte[] { 0xFF, 0xFE })), "{error,put_chars}" },
        { "not chardata", Put(new ErlangTuple(ErlangAtom.Ok)), "{error,put_chars}" },
        { "latin1 above 255", new ErlangTuple(PutChars, ErlangAtom.Get("latin1"), new ErlangList(ErlangInteger.Create(0x100))), "{error,put_chars}" },
        { "~c of a surrogate", Format("~tc", ErlangInteger.Create(0xDFFF)), "{error,put_chars}" },
        { "~c of a huge integer", Format("~tc", ErlangInteger.Create(long.MaxValue)), "{error,put_chars}" },
        { "~c of an atom", Format("~c", ErlangAtom.Ok), "{error,put_chars}" },
        { "~s of a tuple", Format("~s", new ErlangTuple(ErlangAtom.Ok)), "{error,put_chars}" },
        { "too few arguments", Format("~p ~p", ErlangAtom.Ok), "{error,put_chars}" },
        { "a lone ~ at the end", Format("x~"), "{error,put_chars}" },
        { "format args not a list", new ErlangTuple(PutChars, Unicode, ErlangAtom.Get("io_lib"), ErlangAtom.Get("format"), new ErlangList(ErlangBinary.FromUtf8("~p"), ErlangAtom.Ok)), "{error,put_chars}" },
        { "an unknown module here", new ErlangTuple(PutChars, Unicode, ErlangAtom.Get("nomod"), ErlangAtom.Get("f"), ErlangList.Nil), "{error,put_chars}" },
        { "a put_chars of the wrong arity", new ErlangTuple(PutChars, Unicode, ErlangAtom.Ok, ErlangAtom.Ok, ErlangAtom.Ok, ErlangAtom.Ok), "{error,request}" },
        { "an unknown request", ErlangAtom.Get("bogus"), "{error,request}" },
        { "requests stop at the first error", new ErlangTuple(ErlangAtom.Get("requests"), new ErlangList(Put(ErlangBinary.FromUtf8("a")), Put(new ErlangList(ErlangInteger.Create(-1))), Put(ErlangBinary.FromUtf8("b")))), "{error,put_chars}" },
        { "input", new ErlangTuple(ErlangAtom.Get("get_line"), Unicode, ErlangBinary.FromUtf8("> ")), "eof" },
        { "text", Put(new ErlangList(ErlangBinary.FromUtf8("héllo "), ErlangInteger.Create(0x1F600))), "ok" },
        { "a format rendered here", Format("~s ~c ~p~n", ErlangBinary.FromUtf8("a"), ErlangInteger.Create('b'), ErlangAtom.Ok), "ok" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_request_gets_one_reply(string what, ErlangTerm request, string expected)
    {
        await using var node = await LocalNode.StartAsync();
        var printed = new List<string>();
        using var gl = node.CreateGroupLeader(t =>
        {
            lock (printed) printed.Add(t);
        });
        using var mailbox = node.CreateMailbox();
        var replyAs = node.MakeRef();
        mailbox.Send(gl.Pid, new ErlangTuple(ErlangAtom.Get("io_request"), mailbox.Pid, replyAs, request));
        var reply = await mailbox.ReceiveAsync(m => m is ErlangTuple { Count: 3 } r && r[1].Equals(replyAs), TimeSpan.FromSeconds(30));
        Assert.True(((ErlangTuple)reply)[2].ToString() == expected, $"{what}: {reply}");
        lock (printed)
        {
            if (expected == "{error,put_chars}") Assert.True(printed.All(p => p == "a"), $"{what} printed: {string.Join("|", printed)}");
        }
    }

    [Fact]
    public async Task Text_and_a_local_format_are_printed_as_written()
    {
        await using var node = await LocalNode.StartAsync();
        var printed = new List<string>();
        using var gl = node.CreateGroupLeader(t =>
        {
            lock (printed) printed.Add(t);
        });
        using var mailbox = node.CreateMailbox();
        foreach (var request in new[] { Put(new ErlangList(ErlangBinary.FromUtf8("héllo "), ErlangInteger.Create(0x1F600))), Format("~s ~c ~p~n", ErlangBinary.FromUtf8("a"), ErlangInteger.Create('b'), ErlangAtom.Ok) })
        {
            var replyAs = node.MakeRef();
            mailbox.Send(gl.Pid, new ErlangTuple(ErlangAtom.Get("io_request"), mailbox.Pid, replyAs, request));
            await mailbox.ReceiveAsync(m => m is ErlangTuple { Count: 3 } r && r[1].Equals(replyAs), TimeSpan.FromSeconds(30));
        }

        lock (printed) Assert.Equal(["héllo 😀", "a b ok\n"], printed);
    }

    [Fact]
    public async Task Io_format_run_here_fails_with_badarg_on_an_error_reply()
    {
        await using var node = await LocalNode.StartAsync();
        using var gl = node.CreateGroupLeader(_ => { });
        var outcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(async self =>
        {
            self.GroupLeader = gl.Pid;
            var ok = await node.Functions.ApplyAsync(self, ErlangAtom.Get("io"), ErlangAtom.Get("format"), [ErlangBinary.FromUtf8("~p~n"), new ErlangList(ErlangAtom.Ok)]);
            var bad = await node.Functions.ApplyAsync(self, ErlangAtom.Get("io"), ErlangAtom.Get("format"), [ErlangBinary.FromUtf8("~tc"), new ErlangList(ErlangInteger.Create(0xD800))]);
            outcome.TrySetResult($"{ok.Class}:{ok.Value} {bad.Class}:{bad.Value}");
        });
        Assert.Equal("Return:ok Error:badarg", await outcome.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_formatter_refuses_deep_and_bad_chardata_without_throwing()
    {
        ErlangTerm deep = ErlangBinary.FromUtf8("x");
        for (var i = 0; i < 5000; i++) deep = new ErlangList(deep);
        Assert.Null(IoFormat.Chardata(deep));
        Assert.Null(IoFormat.Chardata(new ErlangList([ErlangInteger.Create(0xD800)])));
        Assert.Null(IoFormat.Chardata(ErlangAtom.Ok));
        Assert.False(IoFormat.TryFormat(ErlangBinary.FromUtf8("~tc"), new ErlangList(ErlangInteger.Create(-5)), out _));
        Assert.False(IoFormat.TryFormat(ErlangBinary.FromUtf8("~z"), new ErlangList(ErlangAtom.Ok), out _));
        Assert.False(IoFormat.TryFormat(ErlangBinary.FromUtf8("~p"), new ErlangList(ErlangAtom.Ok, ErlangAtom.Ok), out _));
        Assert.True(IoFormat.TryFormat(ErlangBinary.FromUtf8("~5.2f|~-3tc|~ts|~c"), new ErlangList(new ErlangFloat(1.5), ErlangInteger.Create(0x1F600), ErlangBinary.FromUtf8("é"), ErlangInteger.Create(0x141)), out var text));
        Assert.Equal("1.5|😀|é|A", text);
    }
}
