#!/usr/bin/env python3
"""Prints redis-server's COMMAND INFO as tests/data/redis-command-info.txt holds it: one line
per command and subcommand, "name arity first last step flags categories" (each list sorted,
comma-separated, "-" when empty; categories without their "@"), sorted by name. The unit tests check the command table against this file; an integration test
checks the file against the installed redis-server.

    python3 tests/data/command_snapshot.py PORT > tests/data/redis-command-info.txt
"""
import sys

import redis


def lines(port):
    c = redis.Connection(port=port)
    c.send_command("COMMAND")
    entries = c.read_response()
    c.disconnect()
    out = []

    def add(e):
        name = e[0].decode()
        flags = sorted(f.decode() if isinstance(f, bytes) else f for f in e[2])
        cats = sorted((c.decode() if isinstance(c, bytes) else c).lstrip("@") for c in e[6])
        out.append(f"{name} {e[1]} {e[3]} {e[4]} {e[5]} {','.join(flags) or '-'} "
                   f"{','.join(cats) or '-'}")
        for sub in (e[9] if len(e) > 9 else []):
            add(sub)

    for e in entries:
        add(e)
    return sorted(out)


if __name__ == "__main__":
    print("\n".join(lines(int(sys.argv[1]))))
