#!/usr/bin/python3
"""Send HMP commands to a QEMU monitor unix socket and print the replies.

usage: hmp.py SOCKET 'command 1' ['command 2' ...]
Each command is sent after the previous reply prompt "(qemu) " arrived.
dump-guest-memory blocks the monitor until the dump is complete (no -d), so the reply
prompt after it means the file is written.
"""
import socket
import sys
import time


def read_until_prompt(s, timeout):
    buf = b""
    end = time.time() + timeout
    while not buf.rstrip().endswith(b"(qemu)"):
        if time.time() > end:
            raise TimeoutError("no monitor prompt; got: %r" % buf[-500:])
        s.settimeout(max(0.1, end - time.time()))
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError("monitor closed; got: %r" % buf[-500:])
        buf += chunk
    return buf


def main():
    path = sys.argv[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    read_until_prompt(s, 30)
    for cmd in sys.argv[2:]:
        s.sendall(cmd.encode() + b"\n")
        reply = read_until_prompt(s, 1800)
        text = reply.decode("utf-8", "replace").replace("\r", "")
        print(text)
        if "Error" in text or "error" in text:
            sys.exit("monitor command failed: %s" % cmd)
    s.close()


if __name__ == "__main__":
    main()
