"""`careerpath accounts …` as the platform operator uses it, and the links it hands out."""

from __future__ import annotations

import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from careerpath.cli.main import main
from careerpath.data.database import engine_for
from careerpath.services.accounts import Accounts, Role

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "une phrase de passe assez longue"


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message (a stand-in for the operator's mail server)."""

    received: list[str] = []

    def _say(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self._say("220 test ESMTP")
        while line := self.rfile.readline().decode(errors="replace"):
            verb = line.strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 test")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go on")
                body = []
                while (data := self.rfile.readline().decode(errors="replace")) not in (
                    ".\r\n",
                    "",
                ):
                    body.append(data)
                type(self).received.append("".join(body))
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 no")


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, list[str]]]:
    _SmtpHandler.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield (
        f"smtp://127.0.0.1:{server.server_address[1]}?from=careerpath@example.org",
        (_SmtpHandler.received),
    )
    server.shutdown()
    server.server_close()


def _link(out: str) -> str:
    return next(line for line in out.splitlines() if "/mot-de-passe/" in line).strip()


def test_create_prints_a_single_use_link_when_no_mail_is_configured(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAREERPATH_SMTP_URL", raising=False)
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", "https://careerpath.example.org")
    code = main(
        [
            "accounts",
            "create",
            "Conseil@CIO.fr",
            "--role",
            "counsellor",
            "--structure",
            "CIO de Lyon",
            "--name",
            "Camille",
            "--database-url",
            sqlite_url,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Aucun e-mail envoyé" in out and "72 h" in out
    link = _link(out)
    assert link.startswith("https://careerpath.example.org/mot-de-passe/")
    assert main(["accounts", "list", "--database-url", sqlite_url]) == 0
    listed = capsys.readouterr().out
    assert "conseil@cio.fr\tcounsellor\tCIO de Lyon\tpending\tCamille" in listed
    accounts = Accounts(sqlite_url)
    accounts.use_link(link.rsplit("/", 1)[1], PASSWORD)
    assert accounts.sign_in("conseil@cio.fr", PASSWORD).account.structure_name == "CIO de Lyon"


def test_create_with_password_stdin_makes_an_active_account(
    sqlite_url: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "careerpath.cli.main",
            "accounts",
            "create",
            "admin@example.org",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            sqlite_url,
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "/mot-de-passe/" not in result.stdout
    assert Accounts(sqlite_url).sign_in("admin@example.org", PASSWORD).account.role.value == "admin"
    with engine_for(sqlite_url).connect() as connection:
        stored = connection.execute(sqlalchemy.text("SELECT password_hash FROM account")).scalar()
    assert stored.startswith("$argon2id$")


def test_a_weak_password_on_stdin_is_refused_with_the_reason(sqlite_url: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "careerpath.cli.main",
            "accounts",
            "create",
            "a@example.org",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            sqlite_url,
        ],
        input="motdepasse\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1
    assert "au moins 12 caractères" in result.stderr


def test_a_counsellor_needs_a_structure(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["accounts", "create", "a@cio.fr", "--role", "counsellor", "--database-url", sqlite_url]
        )
        == 1
    )
    assert "structure" in capsys.readouterr().err


def test_links_are_mailed_when_smtp_is_configured(
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: tuple[str, list[str]],
) -> None:
    url, received = smtp_server
    monkeypatch.setenv("CAREERPATH_SMTP_URL", url)
    assert (
        main(
            [
                "accounts",
                "create",
                "chef@cio.fr",
                "--role",
                "structure-admin",
                "--structure",
                "CIO A",
                "--database-url",
                sqlite_url,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Lien envoyé par e-mail à chef@cio.fr" in out and "/mot-de-passe/" not in out
    assert len(received) == 1 and "/mot-de-passe/" in received[0]
    assert "chef@cio.fr" in received[0]


def test_a_failed_mail_prints_the_link_instead(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    monkeypatch.setenv("CAREERPATH_SMTP_URL", f"smtp://127.0.0.1:{closed_port}")
    assert (
        main(
            [
                "accounts",
                "create",
                "a@cio.fr",
                "--role",
                "counsellor",
                "--structure",
                "CIO A",
                "--database-url",
                sqlite_url,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Aucun e-mail envoyé" in out and "/mot-de-passe/" in out


def test_disable_and_reset_link(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    accounts = Accounts(sqlite_url)
    accounts.migrate()
    accounts.create("a@cio.fr", Role.COUNSELLOR, structure="CIO A", password=PASSWORD)
    token = accounts.sign_in("a@cio.fr", PASSWORD).token
    assert main(["accounts", "reset-link", "a@cio.fr", "--database-url", sqlite_url]) == 0
    link = _link(capsys.readouterr().out)
    assert accounts.link_purpose(link.rsplit("/", 1)[1]) == "reset"
    assert main(["accounts", "disable", "a@cio.fr", "--database-url", sqlite_url]) == 0
    assert "désactivé" in capsys.readouterr().out
    assert not accounts.resolve(token).signed_in
    assert accounts.link_purpose(link.rsplit("/", 1)[1]) is None
    assert main(["accounts", "disable", "nobody@cio.fr", "--database-url", sqlite_url]) == 1
    assert "Aucun compte" in capsys.readouterr().err


def test_forgotten_password_mails_a_link_and_limits_the_requests(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, smtp_server: tuple[str, list[str]]
) -> None:
    from careerpath.config import load_settings
    from careerpath.services.accounts import ManualClock
    from careerpath.services.accounts.throttle import RESET_LIMIT

    url, received = smtp_server
    monkeypatch.setenv("CAREERPATH_SMTP_URL", url)
    clock = ManualClock()
    accounts = Accounts(sqlite_url, clock=clock, settings=load_settings())
    accounts.migrate()
    accounts.create("a@cio.fr", Role.COUNSELLOR, structure="CIO A", password=PASSWORD)
    assert accounts.request_reset("a@cio.fr") is True
    assert accounts.request_reset("personne@cio.fr") is True  # same answer, nothing sent
    assert len(received) == 1 and "/mot-de-passe/" in received[0]
    token = next(w for w in received[0].split() if "/mot-de-passe/" in w).rsplit("/", 1)[1]
    assert accounts.link_purpose(token) == "reset"
    for _ in range(RESET_LIMIT + 2):
        accounts.request_reset("a@cio.fr")
    assert len(received) == RESET_LIMIT  # then the requests wait
    assert accounts.link_purpose(token) is None  # each new link cancels the previous one
    last = next(w for w in received[-1].split() if "/mot-de-passe/" in w).rsplit("/", 1)[1]
    clock.advance(minutes=59)
    assert accounts.link_purpose(last) == "reset"
    clock.advance(minutes=2)
    assert accounts.link_purpose(last) is None  # a mailed reset link lasts one hour
