"""A client of Tollgate's event-bus bridge with nothing but a plain socket, as any Python service could write it.

Frames are a 4-byte big-endian length and that many bytes of UTF-8 JSON, both ways. Usage:
    python3 bridge_client.py HOST PORT TOKEN
Prints one JSON line per step: {"step": ..., "frame": <the frame received>}.
"""
import json
import socket
import struct
import sys


def send(sock, frame):
    data = json.dumps(frame).encode("utf-8")
    sock.sendall(struct.pack(">I", len(data)) + data)


def send_in_pieces(sock, frame):
    """The same frame, its length and body split over several writes, as TCP may deliver them."""
    data = struct.pack(">I", len(json.dumps(frame).encode("utf-8"))) + json.dumps(frame).encode("utf-8")
    for i in range(0, len(data), 3):
        sock.sendall(data[i:i + 3])


def receive(sock):
    header = read_exactly(sock, 4)
    (length,) = struct.unpack(">I", header)
    return json.loads(read_exactly(sock, length).decode("utf-8"))


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError("the bridge closed the connection")
        data += chunk
    return data


def report(step, frame):
    print(json.dumps({"step": step, "frame": frame}), flush=True)


def main():
    host, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.create_connection((host, port), timeout=30)
    check = {"rule": "api", "key": "python:1", "permits": 1}

    send(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-1",
                "headers": {"token": token}, "body": check})
    report("check", receive(sock))

    send_in_pieces(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-2",
                          "headers": {"token": token}, "body": check})
    report("check-in-pieces", receive(sock))

    send(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-3",
                "headers": {"token": token}, "body": check})
    report("check-refused", receive(sock))

    send(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-4",
                "headers": {"token": token}, "body": {"rule": "nope", "key": "k"}})
    report("unknown-rule", receive(sock))

    send(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-5",
                "headers": {"token": "wrong-token"}, "body": check})
    report("wrong-token", receive(sock))

    send(sock, {"type": "send", "address": "tollgate.limit.check", "replyAddress": "py-6", "body": check})
    report("no-token", receive(sock))

    send(sock, {"type": "send", "address": "tollgate.events", "replyAddress": "py-7",
                "headers": {"token": token}, "body": {}})
    report("forbidden-send", receive(sock))

    send(sock, {"type": "register", "address": "tollgate.events", "headers": {"token": token}})
    report("forbidden-register", receive(sock))

    send(sock, {"type": "register", "address": "tollgate.stats", "headers": {"token": "wrong-token"}})
    report("register-wrong-token", receive(sock))

    send(sock, {"type": "ping", "headers": {"token": token}})
    report("ping", receive(sock))

    send(sock, {"type": "register", "address": "tollgate.stats", "headers": {"token": token}})
    report("stats", receive(sock))

    sock.close()


if __name__ == "__main__":
    main()
