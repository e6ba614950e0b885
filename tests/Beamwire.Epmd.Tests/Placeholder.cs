namespace Beamwire.Epmd.Tests;
