"""A stand-in desktop notification server for the end-to-end notification tests.

Run inside a private session bus (``dbus-run-session -- python notification_recorder.py``).
It claims ``org.freedesktop.Notifications``, answers ``GetServerInformation``,
``GetCapabilities`` and ``Notify`` (with a fresh id), and prints one JSON object per line:
first ``{"ready": true, "address": ...}``, then one line per ``Notify`` with every argument.
With ``--idle`` it claims nothing (a bus without the service). It exits when its stdin
closes, which ends the bus with it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from itertools import count
from typing import Any

from jeepney import (
    HeaderFields,
    Message,
    MessageType,
    message_bus,
    new_error,
    new_method_return,
)
from jeepney.io.blocking import DBusConnection, open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
REPLY_PRIMARY_OWNER = 1
DO_NOT_QUEUE = 4

_print_lock = threading.Lock()


def emit(record: dict[str, Any]) -> None:
    """One JSON line on stdout, flushed at once (the test reads it with a deadline)."""
    with _print_lock:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


def answer(msg: Message, ids: count[int]) -> Message:
    """The reply to one method call on the notification interface."""
    fields = msg.header.fields
    member = fields.get(HeaderFields.member)
    if fields.get(HeaderFields.path) != PATH:
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownObject", "s", ("no object",))
    if member == "GetServerInformation":
        return new_method_return(msg, "ssss", ("ij-recorder", "tests", "1", "1.2"))
    if member == "GetCapabilities":
        return new_method_return(msg, "as", (["body", "body-markup"],))
    if member == "Notify":
        app_name, replaces_id, app_icon, summary, body, actions, hints, timeout = msg.body
        notification_id = replaces_id or next(ids)
        emit({
            "member": "Notify",
            "signature": fields.get(HeaderFields.signature),
            "app_name": app_name,
            "replaces_id": replaces_id,
            "app_icon": app_icon,
            "summary": summary,
            "body": body,
            "actions": list(actions),
            "hints": {key: value[1] for key, value in hints.items()},
            "hint_signatures": {key: value[0] for key, value in hints.items()},
            "expire_timeout": timeout,
            "id": notification_id,
        })
        return new_method_return(msg, "u", (notification_id,))
    return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),))


def serve(connection: DBusConnection) -> None:
    """Answer method calls until the process ends."""
    ids = count(1)
    while True:
        msg = connection.receive()
        if msg.header.message_type == MessageType.method_call:
            connection.send(answer(msg, ids))


def main(argv: list[str]) -> int:
    """Claim the name (unless ``--idle``), say ready, serve until stdin closes."""
    connection = open_dbus_connection(bus="SESSION")
    if "--idle" not in argv:
        reply = connection.send_and_get_reply(
            message_bus.RequestName(NAME, DO_NOT_QUEUE), timeout=10
        )
        if reply.body[0] != REPLY_PRIMARY_OWNER:
            print(f"could not own {NAME}: {reply.body!r}", file=sys.stderr)
            return 1
        threading.Thread(target=serve, args=(connection,), daemon=True).start()
    emit({"ready": True, "address": os.environ["DBUS_SESSION_BUS_ADDRESS"]})
    sys.stdin.read()  # until the test closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
