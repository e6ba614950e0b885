#!/usr/bin/env python3
"""Time from exec to the first interactive prompt, in a pseudo-terminal (as a person sees it).

usage: prompt-time.py RUNS REGEX -- COMMAND [ARGS...]
Prints one line: the median and the min/max in seconds. Each run is killed once its prompt shows.
"""
import os, pty, re, select, signal, statistics, sys, time

def once(cmd, pattern):
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    try:
        while True:
            r, _, _ = select.select([fd], [], [], 60)
            if not r:
                raise SystemExit(f"no prompt within 60 s from {cmd}: {seen[-300:]!r}")
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                raise SystemExit(f"{cmd} ended before its prompt: {seen[-300:]!r}")
            if not chunk:
                raise SystemExit(f"{cmd} ended before its prompt: {seen[-300:]!r}")
            seen += chunk
            if pattern.search(seen):
                return time.monotonic() - start
    finally:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)

def main():
    runs = int(sys.argv[1])
    pattern = re.compile(sys.argv[2].encode())
    cmd = sys.argv[sys.argv.index("--") + 1:]
    times = [once(cmd, pattern) for _ in range(runs)]
    print(f"{statistics.median(times):.3f} {min(times):.3f} {max(times):.3f}")

main()
