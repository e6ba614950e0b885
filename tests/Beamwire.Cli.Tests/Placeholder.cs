namespace Beamwire.Cli.Tests;
