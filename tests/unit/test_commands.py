"""``reflect --company/--role`` is read once, by the command line's argparse, and from then on
travels as a ``ReflectRequest``: to the window, and as a plain dict to an app already running.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_journal import cli
from interview_journal.core.commands import ReflectRequest, request_from_message


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, list[str], object]]:
    """What the command line would open the window with (the window itself is not opened)."""
    calls: list[tuple[Path, list[str], object]] = []

    def open_window(folder: Path, argv: list[str], request: object = None) -> int:
        calls.append((folder, argv, request))
        return cli.EXIT_OK

    monkeypatch.setattr(cli, "_open_window", open_window)
    return calls


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["reflect"], ReflectRequest()),
        (["reflect", "--company", "Acme"], ReflectRequest(company="Acme")),
        (["reflect", "--role=SRE", "--company=Acme Inc"], ReflectRequest("Acme Inc", "SRE")),
        (["reflect", "--role", "", "--company", "Acme"], ReflectRequest(company="Acme", role="")),
        ([], None),  # no command: the window opens and does nothing more
    ],
)
def test_the_command_line_hands_the_window_a_request(
    tmp_path: Path, opened: list[tuple[Path, list[str], object]], argv: list[str],
    expected: ReflectRequest | None,
) -> None:
    assert cli.main(["--data-dir", str(tmp_path), *argv]) == cli.EXIT_OK
    [(folder, passed_argv, request)] = opened
    assert folder == tmp_path
    assert passed_argv == ["--data-dir", str(tmp_path), *argv]
    assert request == expected


def test_a_reflect_usage_error_opens_nothing(
    tmp_path: Path, opened: list[tuple[Path, list[str], object]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["--data-dir", str(tmp_path), "reflect", "--company"])
    assert raised.value.code == cli.EXIT_USAGE
    assert "--company: expected one argument" in capsys.readouterr().err
    assert opened == []


def test_a_request_is_frozen_data() -> None:
    request = ReflectRequest(company="Acme", role=None)
    with pytest.raises(AttributeError):
        request.company = "Globex"  # type: ignore[misc]
    assert request == ReflectRequest("Acme")
    assert hash(request) == hash(ReflectRequest("Acme"))


@pytest.mark.parametrize(
    "request_",
    [ReflectRequest(), ReflectRequest("Acme"), ReflectRequest("Ünï \"Co\"\n", "")],
)
def test_a_request_survives_its_message(request_: ReflectRequest) -> None:
    message = json.loads(json.dumps(request_.to_message()))  # as it crosses the hand-over
    assert message["command"] == "reflect"
    assert request_from_message(message) == request_


def test_no_command_and_a_newer_command_are_no_request() -> None:
    assert request_from_message(None) is None
    assert request_from_message({"command": "export", "company": 3}) is None


@pytest.mark.parametrize(
    "data",
    [
        "reflect",
        ["reflect"],
        {"company": "Acme"},
        {"command": 1},
        {"command": "reflect", "company": 3},
        {"command": "reflect", "role": ["SRE"]},
    ],
)
def test_a_message_of_the_wrong_shape_is_refused(data: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message says which part is wrong
        request_from_message(data)
