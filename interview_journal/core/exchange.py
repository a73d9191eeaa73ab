"""The JSON export format: reading a file that may be hostile, and writing one whole.

The format is published as a JSON Schema (``resources/exchange-v1.schema.json``, described
in the README). Entities refer to each other by UUID only, never by row id; times are ISO 8601
UTC ending in ``Z``. What the Journal reads and merges is in ``core/journal/exchange.py``;
this module knows files and the format, not the database.

Every file given to ``read_export`` is treated as hostile until it has passed, in this
order: a size cap read before anything is parsed (``MAX_FILE_BYTES``), strict UTF-8, a
count of interviews before parsing (``MAX_INTERVIEWS``), JSON without NaN or Infinity,
without duplicate keys, without numbers longer than ``MAX_NUMBER_CHARS`` and nested no
deeper than Python's parser allows; then the published schema (types, lengths, counts,
through ``fastjsonschema``), strings without NUL or unpaired surrogates, settings nested at
most ``MAX_SETTING_DEPTH`` deep, unique UUIDs and references that resolve inside the file.
Each refusal is one sentence (``BadExport``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from interview_journal.core.errors import InvalidInput, JournalError

FORMAT_NAME = "interview-journal"
FORMAT_VERSION = 1
SCHEMA_RESOURCE = "exchange-v1.schema.json"
# The formats ``export`` can write; markdown, html, pdf and ics come later.
EXPORT_FORMATS: tuple[str, ...] = ("json",)

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_INTERVIEWS = 100_000
MAX_NUMBER_CHARS = 20
MAX_SETTING_DEPTH = 32
# Interviews are counted before parsing by this key, which only an interview has.
_INTERVIEW_KEY = '"went_well"'

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as work advances (from the worker's thread)."""

CancelCheck = Callable[[], bool]
"""Returns True once the work should stop (``threading.Event().is_set`` will do)."""


class BadExport(InvalidInput):
    """The file cannot be imported; the message says why in one sentence."""


class Cancelled(JournalError):
    """The export or import was cancelled; nothing was written or changed."""

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)


def check_cancel(cancel: CancelCheck | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


# --------------------------------------------------------------------------- values


def time_text(stored: datetime | str | None) -> str | None:
    """A UTC time as stored (naive, or text) as the file writes it: ``...T09:00:00Z``."""
    if stored is None:
        return None
    value = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def day_text(stored: date | str | None) -> str | None:
    if stored is None:
        return None
    return (stored if isinstance(stored, str) else stored.isoformat())[:10]


def parse_time(text: str | None) -> datetime | None:
    """A file's time (schema-checked text) as a naive UTC datetime; BadExport if impossible."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text[:-1])
    except ValueError:
        raise BadExport(f"{text!r} is not a possible time.") from None


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadExport(f"{text!r} is not a possible date.") from None


def uuid_text(stored: str) -> str:
    """A UUID as stored (32 hex digits) in its usual form with hyphens, lower case."""
    hex_ = stored.replace("-", "").lower()
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def uuid_stored(text: str) -> str:
    """A file's UUID as the journal stores it (32 hex digits)."""
    return text.replace("-", "")



# --------------------------------------------------------------------------- reading


def read_export(path: Path) -> dict[str, Any]:
    """Read, parse and check an export file; BadExport (one sentence) if it cannot be used.

    Memory stays bounded by ``MAX_FILE_BYTES``: the file's size is checked before it is
    read, and interviews are counted before it is parsed.
    """
    raw = _read_capped(path)
    text = _decode(raw)
    del raw
    if text.count(_INTERVIEW_KEY) > MAX_INTERVIEWS:
        raise BadExport(
            f"The file holds more than {MAX_INTERVIEWS:,} interviews, the most one import takes."
        )
    # Only a \\u escape can put a NUL or an unpaired surrogate into parsed text, and most
    # files have none: then the strings need no look of their own.
    escapes = _UNSAFE_ESCAPE.search(text) is not None
    document = parse(text)
    del text
    check_document(document, escapes=escapes)
    checked: dict[str, Any] = document
    return checked


def _read_capped(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadExport(f"There is no file {path}.") from None
    except OSError as error:
        raise BadExport(f"{path} cannot be read ({error.strerror or error}).") from None
    if not path.is_file():
        raise BadExport(f"{path} is not a file.")
    if info.st_size > MAX_FILE_BYTES:
        raise BadExport(
            f"The file is {info.st_size / 1_048_576:,.1f} MB; an import takes at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB."
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BadExport(f"{path} cannot be read ({error.strerror or error}).") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        raise BadExport(f"The file is larger than {MAX_FILE_BYTES // 1_048_576} MB.")
    if not raw.strip():
        raise BadExport("The file is empty.")
    return raw


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadExport("The file is UTF-16 text; an export is UTF-8.")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadExport(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02x} at position "
            f"{error.start:,} cannot be read); an export is UTF-8."
        ) from None


def _refuse_constant(name: str) -> Any:
    raise BadExport(f"The file holds {name}, which is not a number JSON allows.")


def _whole(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadExport(
            f"The file holds a number of {len(text):,} digits; numbers in an export have at "
            f"most {MAX_NUMBER_CHARS}."
        )
    return int(text)


def _real(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadExport(
            f"The file holds a number {len(text):,} characters long; numbers in an export have "
            f"at most {MAX_NUMBER_CHARS}."
        )
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadExport(f"The file holds the number {text}, too large for a journal.")
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise BadExport(f"The file names the key {_shown(key)} twice in one object.")
            seen.add(key)
    return found


def parse(text: str) -> Any:
    """Parse JSON text strictly (see the module's docstring); BadExport with where it broke."""
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_whole,
            parse_float=_real,
            object_pairs_hook=_object,
        )
    except RecursionError:
        raise BadExport("The file nests lists or objects deeper than an export can.") from None
    except json.JSONDecodeError as error:
        cut = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        ending = "ends before it is complete" if cut else "is not valid JSON"
        raise BadExport(
            f"The file {ending}: {error.msg} (line {error.lineno:,}, column {error.colno:,})."
        ) from None


def _shown(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return json.dumps(shown)


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of the format (``resources/exchange-v1.schema.json``)."""
    import importlib.resources

    resource = importlib.resources.files("interview_journal.resources") / SCHEMA_RESOURCE
    loaded: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Callable[[Any], Any]:
    # Imported where first used: only an import needs it, never the window's start.
    import fastjsonschema

    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema())
    return compiled


_UNSAFE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def check_document(document: Any, *, escapes: bool = True) -> None:
    """Check a parsed file against the format; BadExport naming the first problem.

    ``escapes=False`` says that the text parsed held no ``\\u`` escape that could make a
    NUL or an unpaired surrogate, so strings are not looked at one by one.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise BadExport("The file is not an Interview Journal export.")
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise BadExport("The file does not say which version of the export format it uses.")
    if version > FORMAT_VERSION:
        raise BadExport(
            f"The file was written by a newer version of Interview Journal (export format "
            f"{version}; this version reads {FORMAT_VERSION}). Update the app to import it."
        )
    import fastjsonschema

    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        where = str(error.name).removeprefix("data").lstrip(".") or "the file"
        said = str(error.message).removeprefix(str(error.name)).strip()
        raise BadExport(f"The file does not match the export format: {where} {said}.") from None
    for key, value in document["settings"].items():
        _depth(value, key, 1)
    if escapes:  # no NUL and no unpaired surrogate anywhere
        _walk_strings(document, "")
    _check_references(document)


def _depth(value: Any, where: str, depth: int) -> None:
    if depth > MAX_SETTING_DEPTH:
        raise BadExport(
            f"The setting {_shown(where)} nests deeper than {MAX_SETTING_DEPTH} levels."
        )
    if isinstance(value, dict):
        for item in value.values():
            _depth(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _depth(item, where, depth + 1)


def _walk_strings(value: Any, where: str) -> None:
    if isinstance(value, str):
        found = _UNSAFE.search(value)
        if found is not None:
            what = "a NUL character" if found.group() == "\x00" else "an unpaired surrogate"
            raise BadExport(f"The text at {where or 'the top'} holds {what}, which a journal "
                            "cannot store.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk_strings(key, where)
            _walk_strings(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_strings(item, f"{where}[{index}]")


def _unique(items: Iterable[Mapping[str, Any]], kind: str) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["uuid"] in seen:
            raise BadExport(f"The file holds two {kind} with the uuid {item['uuid']} "
                            f"({kind}[{index}]).")
        seen.add(item["uuid"])
    return seen


def _check_references(document: dict[str, Any]) -> None:
    companies = _unique(document["companies"], "companies")
    people = _unique(document["people"], "people")
    topics = _unique(document["topics"], "topics")
    interviews = _unique(document["interviews"], "interviews")
    _unique(document["timer_sessions"], "timer_sessions")
    parts: set[str] = set()
    scope = document["company"]
    if scope is not None and scope not in companies:
        raise BadExport("The file's company is not among its companies.")
    for index, person in enumerate(document["people"]):
        if person["company"] not in companies:
            raise BadExport(f"people[{index}] belongs to a company that is not in the file.")
    for index, interview in enumerate(document["interviews"]):
        where = f"interviews[{index}]"
        if interview["company"] not in companies:
            raise BadExport(f"{where} belongs to a company that is not in the file.")
        for field, known, kind in (("interviewers", people, "person"),
                                   ("topics", topics, "topic")):
            listed = interview[field]
            if len(set(listed)) != len(listed):
                raise BadExport(f"{where}.{field} names the same {kind} twice.")
            if not known.issuperset(listed):
                raise BadExport(f"{where}.{field} names a {kind} that is not in the file.")
        for field in ("questions", "action_items"):
            for number, part in enumerate(interview[field]):
                if part["uuid"] in parts:
                    raise BadExport(f"{where}.{field}[{number}] has the uuid of another "
                                    "question or action item in the file.")
                parts.add(part["uuid"])
    for index, session in enumerate(document["timer_sessions"]):
        if session["interview"] is not None and session["interview"] not in interviews:
            raise BadExport(f"timer_sessions[{index}] is for an interview that is not in the "
                            "file.")


# --------------------------------------------------------------------------- writing


def dumps(value: Any) -> str:
    """One value as the export writes it: UTF-8 text as is, keys in the order given."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_atomically(target: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``target`` whole or not at all, readable only by the user.

    A temporary file beside the target (so the rename stays on one file system), created
    0600, is written, flushed to disk and renamed over the target; the folder is flushed
    after. Interrupted at any point, the target holds its old content or the new, never
    half; an exception (a cancel included) removes the temporary file.
    """
    folder = target.parent
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                             dir=folder)
    try:
        # mkstemp makes it 0600 whatever the umask.
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    if os.name == "posix":
        folder_descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_descriptor)
        finally:
            os.close(folder_descriptor)

