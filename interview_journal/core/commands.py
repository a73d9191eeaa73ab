"""What a launch asks the app to do, as data.

The command line's argparse reads ``interview-journal reflect [--company NAME] [--role ROLE]``
once and makes a ``ReflectRequest`` of it. The window takes that request as it is; a launch
that finds the app already running on its data folder hands it over as a plain dict in the
hand-over message (``ui/instance.py``), and the running app makes the same request of it
again. Nobody parses a command line a second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

REFLECT = "reflect"


@dataclass(frozen=True)
class ReflectRequest:
    """``reflect``: start a reflection now, on the interview that just ended (of ``company``,
    if named) or on a new one that ended now (at ``company``, for ``role``). None: not given.
    """

    company: str | None = None
    role: str | None = None

    def to_message(self) -> dict[str, str | None]:
        """The request as the hand-over message carries it (plain JSON values)."""
        return {"command": REFLECT, "company": self.company, "role": self.role}


def request_from_message(data: object) -> ReflectRequest | None:
    """The request a hand-over message carries (what ``to_message()`` made), or None for none.

    None too for a command this version does not know (a newer launch's): the app then only
    comes to the front. Raises ValueError for a value of the wrong shape.
    """
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValueError("a command is an object")
    command = data.get("command")
    if not isinstance(command, str):
        raise ValueError("a command has a name")
    if command != REFLECT:
        return None
    return ReflectRequest(company=_text(data.get("company")), role=_text(data.get("role")))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError("reflect's company and role are text or null")
