using System.Collections.Concurrent;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// .NET functions exposed to Erlang under <c>{Module, Function, Arity}</c>: what <c>rpc:call</c>,
/// <c>erpc:call</c> and remote <c>spawn</c> from erl/iex run on this node. A function gets the process it
/// runs in (so it can receive, link, call GenServers) and the arguments; what it returns is the call's
/// result. Anything not registered fails as an undefined function does in Erlang (<c>undef</c>).
/// </summary>
public sealed class FunctionRegistry
{
    private readonly ConcurrentDictionary<(ErlangAtom, ErlangAtom, int), Func<BeamProcess, ErlangTerm[], ValueTask<ErlangTerm>>> _functions = new();

    internal FunctionRegistry()
    {
    }

    /// <summary>Exposes an asynchronous function (replaces one registered under the same MFA).</summary>
    public void Register(string module, string function, int arity, Func<BeamProcess, ErlangTerm[], ValueTask<ErlangTerm>> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentOutOfRangeException.ThrowIfNegative(arity);
        _functions[(ErlangAtom.Get(module), ErlangAtom.Get(function), arity)] = implementation;
    }

    /// <summary>Exposes a synchronous function of its arguments.</summary>
    public void Register(string module, string function, int arity, Func<ErlangTerm[], ErlangTerm> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        Register(module, function, arity, (_, args) => new ValueTask<ErlangTerm>(implementation(args)));
    }

    /// <summary>Removes a function; true when it was registered.</summary>
    public bool Unregister(string module, string function, int arity) =>
        _functions.TryRemove((ErlangAtom.Get(module), ErlangAtom.Get(function), arity), out _);

    /// <summary>True when <c>{Module, Function, Arity}</c> is exposed.</summary>
    public bool IsRegistered(string module, string function, int arity) =>
        _functions.ContainsKey((ErlangAtom.Get(module), ErlangAtom.Get(function), arity));

    internal Func<BeamProcess, ErlangTerm[], ValueTask<ErlangTerm>>? Find(ErlangAtom module, ErlangAtom function, int arity) =>
        _functions.TryGetValue((module, function, arity), out var f) ? f : null;

    /// <summary>
    /// Applies <c>Module:Function(Args)</c> in <paramref name="self"/> and reports how it ended, in Erlang's
    /// classes: a value, or <c>throw</c>/<c>exit</c>/<c>error</c> with a reason and a stack.
    /// </summary>
    internal async ValueTask<CallOutcome> ApplyAsync(BeamProcess self, ErlangAtom module, ErlangAtom function, ErlangTerm[] args)
    {
        var argList = new ErlangList(args);
        var frame = new ErlangList(new ErlangTuple(module, function, ErlangInteger.Create(args.Length), ErlangList.Nil));
        if (Find(module, function, args.Length) is not { } implementation)
            return new CallOutcome(CallClass.Error, ProcessAtoms.Undef, new ErlangList(new ErlangTuple(module, function, argList, ErlangList.Nil)));
        try
        {
            return new CallOutcome(CallClass.Return, await implementation(self, args).ConfigureAwait(false), ErlangList.Nil);
        }
        catch (ErlangThrowException t)
        {
            return new CallOutcome(CallClass.Throw, t.Value, frame);
        }
        catch (ProcessExitException e)
        {
            if (!self.IsAlive) throw; // killed while running: the process is gone, not the call
            return new CallOutcome(CallClass.Exit, e.Reason, frame);
        }
        catch (ErlangErrorException e)
        {
            return new CallOutcome(CallClass.Error, e.Reason, frame);
        }
#pragma warning disable CA1031 // every failure of user code is reported to the Erlang caller
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new CallOutcome(CallClass.Error, ProcessAtoms.ReasonOf(ex), frame);
        }
    }
}

/// <summary>Erlang's classes of how a call ended.</summary>
internal enum CallClass
{
    Return,
    Throw,
    Exit,
    Error,
}

/// <summary>How an applied function ended: the value (Return) or the exception's reason and stack.</summary>
internal readonly record struct CallOutcome(CallClass Class, ErlangTerm Value, ErlangTerm Stack);
