using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

/// <summary>The atoms of global's node-to-node protocol, built once.</summary>
internal static class GlobalAtoms
{
    /// <summary>The protocol version this implementation speaks (OTP 25 to 29 speak 8).</summary>
    public const int Vsn = 8;

    /// <summary>The version that introduced init_connect_ack and cancel_connect.</summary>
    public const int VerifyConnectVsn = 8;

    /// <summary>The version that introduced lost_connection and versions in known lists.</summary>
    public const int PopVsn = 7;

    public static readonly ErlangAtom ServerName = ErlangAtom.Get("global_name_server");
    public static readonly ErlangAtom Global = ErlangAtom.Get("global");
    public static readonly ErlangAtom InitConnect = ErlangAtom.Get("init_connect");
    public static readonly ErlangAtom InitConnectAck = ErlangAtom.Get("init_connect_ack");
    public static readonly ErlangAtom CancelConnect = ErlangAtom.Get("cancel_connect");
    public static readonly ErlangAtom Locker = ErlangAtom.Get("locker");
    public static readonly ErlangAtom NoLongerAPid = ErlangAtom.Get("no_longer_a_pid");
    public static readonly ErlangAtom LockIsSet = ErlangAtom.Get("lock_is_set");
    public static readonly ErlangAtom LockSet = ErlangAtom.Get("lock_set");
    public static readonly ErlangAtom Exchange = ErlangAtom.Get("exchange");
    public static readonly ErlangAtom ExchangeOps = ErlangAtom.Get("exchange_ops");
    public static readonly ErlangAtom Resolved = ErlangAtom.Get("resolved");
    public static readonly ErlangAtom NewNodes = ErlangAtom.Get("new_nodes");
    public static readonly ErlangAtom InSync = ErlangAtom.Get("in_sync");
    public static readonly ErlangAtom Unused = ErlangAtom.Get("unused");
    public static readonly ErlangAtom LostConnection = ErlangAtom.Get("lost_connection");
    public static readonly ErlangAtom RemoveConnection = ErlangAtom.Get("remove_connection");
    public static readonly ErlangAtom PrepareShutdown = ErlangAtom.Get("prepare_shutdown");
    public static readonly ErlangAtom ExtraNodedown = ErlangAtom.Get("extra_nodedown");
    public static readonly ErlangAtom Insert = ErlangAtom.Get("insert");
    public static readonly ErlangAtom Delete = ErlangAtom.Get("delete");
    public static readonly ErlangAtom Vsn_ = ErlangAtom.Get("vsn");
    public static readonly ErlangAtom Lock = ErlangAtom.Get("lock");
    public static readonly ErlangAtom Pending = ErlangAtom.Get("pending");
    public static readonly ErlangAtom Register = ErlangAtom.Get("register");
    public static readonly ErlangAtom RegisterExt = ErlangAtom.Get("register_ext");
    public static readonly ErlangAtom Unregister = ErlangAtom.Get("unregister");
    public static readonly ErlangAtom SetLock = ErlangAtom.Get("set_lock");
    public static readonly ErlangAtom DelLock = ErlangAtom.Get("del_lock");
    public static readonly ErlangAtom GetKnown = ErlangAtom.Get("get_known");
    public static readonly ErlangAtom GetSynced = ErlangAtom.Get("get_synced");
    public static readonly ErlangAtom GetProtocolVersion = ErlangAtom.Get("get_protocol_version");
    public static readonly ErlangAtom GetNamesExt = ErlangAtom.Get("get_names_ext");
    public static readonly ErlangAtom AsyncDelName = ErlangAtom.Get("async_del_name");
    public static readonly ErlangAtom AsyncDelLock = ErlangAtom.Get("async_del_lock");
    public static readonly ErlangAtom NameConflict = ErlangAtom.Get("global_name_conflict");
    public static readonly ErlangAtom RandomExitName = ErlangAtom.Get("random_exit_name");
    public static readonly ErlangAtom RandomNotifyName = ErlangAtom.Get("random_notify_name");
    public static readonly ErlangAtom NotifyAllName = ErlangAtom.Get("notify_all_name");
    public static readonly ErlangAtom None = ErlangAtom.Get("none");
    public static readonly ErlangAtom Yes = ErlangAtom.Get("yes");
    public static readonly ErlangAtom No = ErlangAtom.Get("no");

    // Server <-> its locker (local only).
    public static readonly ErlangAtom HisTheLocker = ErlangAtom.Get("his_the_locker");
    public static readonly ErlangAtom Cancel = ErlangAtom.Get("cancel");
    public static readonly ErlangAtom NoFun = ErlangAtom.Get("no_fun");
    public static readonly ErlangAtom AddToKnown = ErlangAtom.Get("add_to_known");
    public static readonly ErlangAtom RemoveFromKnown = ErlangAtom.Get("remove_from_known");
}
