// Each test starts its own epmd and nodes on free ports; peers are real OTP processes, so keep the
// assembly's tests from piling up on a 2-core machine.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 2)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
