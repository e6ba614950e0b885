namespace Beamwire.Cli.Commands.Epmd;

/// <summary>The usage text, printed (to stderr, exit 1) for any command line epmd would refuse.</summary>
internal static class EpmdUsage
{
    private const string Text = """
        usage: beamwire epmd [-d|-debug] [-packet_timeout Seconds] [-address List]
                             [-port No] [-daemon] [-relaxed_command_check]
               beamwire epmd [-d|-debug] [-port No] [-names|-kill|-stop name]

        Regular options
            -address List
                Let epmd listen only on the comma-separated list of IP
                addresses (and on the loopback interface).
            -port No
                Let epmd listen to another port than default 4369
                (or ERL_EPMD_PORT when it is set).
            -d
            -debug
                Enable debugging. This will give a log to
                the standard error stream. It will shorten
                the number of saved used node names to 5.

                If you give more than one debug flag you may
                get more debugging information.
            -daemon
                Start epmd detached (as a daemon)
            -relaxed_command_check
                Allow this instance of epmd to be killed with
                epmd -kill even if there are registered nodes.
                Also allows forced unregister (epmd -stop).

        DbgExtra options
            -packet_timeout Seconds
                Set the number of seconds a connection can be
                inactive before epmd times out and closes the
                connection (default 10).

        Interactive options
            -names
                List names registered with the currently running epmd
            -kill
                Kill the currently running epmd
                (only allowed if -names show empty database or
                -relaxed_command_check was given when epmd was started).
            -stop Name
                Forcibly unregisters a name with epmd
                (only allowed if -relaxed_command_check was given when
                epmd was started).
            -dump
                Dump the state of the currently running epmd.
            -started
                Exit with 0 if an epmd is running, 1 otherwise, silently.

        """;

    public static int Print()
    {
        Console.Error.Write(Text);
        return 1;
    }
}
