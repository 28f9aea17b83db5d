"""Simulated users through Reflex's real socket.io event protocol, and /api/recommend at c=32.

Each simulated user has its own device id and assessment (created through the service, as
/bilan would), opens the websocket the way the browser does (`hydrate_and_load` in the
socket.io CONNECT packet, on /bilan/etape/1, whose on_load sends the step's questions),
then answers one question not answered yet every `--interval` seconds (± 50 %, random) and
waits for the state update that answers it; a step answered, it opens the next one (a new
websocket on /bilan/etape/N+1, as a page load does). Printed per number of users: events/s, p50, p95,
errors (answers later than 10 s, refused connections) and lost answers (an answered rating
missing from the database at the end), for both stacks:

- embedded: SQLite (WAL) and one worker, sessions in Reflex's disk state manager as
  `careerpath run` keeps them (careerpath/ui/state_store.py);
- scale: PostgreSQL (a database of its own, dropped at the end), Redis (db index 9, only
  this benchmark's keys are touched) and several workers.

Then `/api/recommend` on the curated referential with 32 concurrent clients, beside
`/api/referential` (no engine work) as the in-run reference, on the same server right after
the users' levels.

Only localhost, bounded: at most 1,000 users, 600 s per level, 10 s per answer. The load
generator runs on the same machine as the server: its CPU time is printed too.

    .venv/bin/python benchmarks/load.py [--stack embedded|scale|both] [--users 50,100,200]
        [--interval 3] [--duration 30] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import socketio  # noqa: E402
import sqlalchemy  # noqa: E402

from careerpath.cli.serve import reflex_environment  # noqa: E402

HOST = "127.0.0.1"
NAMESPACE = "/_event"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/9"  # this helper's index on the shared Redis
MAX_USERS = 1000
MAX_SECONDS = 600.0
ANSWER_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 30.0


def server_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every process of the server's group (the
    server was started in a session of its own, so its workers share its process group)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state: pgrp is the 5th field of stat
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Server:
    url: str
    database_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def database(stack: str, data_dir: Path) -> Iterator[str]:
    if stack == "embedded":
        yield f"sqlite:///{data_dir / 'careerpath.db'}"
        return
    name = f"careerpath_perf_load_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def clear_redis_sessions() -> None:
    """Delete what earlier runs left in db 9 (only that index: never FLUSHALL)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def serve(stack: str, workers: int) -> Iterator[Server]:
    """The backend alone (no frontend build), on a free localhost port."""
    from careerpath.services.referential import initialise_database

    with tempfile.TemporaryDirectory(prefix="careerpath-load-") as tmp:
        data_dir = Path(tmp)
        with database(stack, data_dir) as database_url:
            initialise_database(database_url)
            port = _free_port()
            env = reflex_environment(port, database_url)
            for name in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "CAREERPATH_REDIS_URL"):
                env.pop(name, None)
            env["CAREERPATH_DATA_DIR"] = str(data_dir)
            env["REFLEX_BACKEND_ONLY"] = "1"
            if stack == "scale":
                clear_redis_sessions()
                env["CAREERPATH_REDIS_URL"] = REDIS_URL
                env["GRANIAN_WORKERS"] = str(workers)
            log = data_dir / "server.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "reflex", "run", "--env", "prod"]
                    + ["--backend-host", HOST],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            url = f"http://{HOST}:{port}"
            try:
                try:
                    _wait_until_up(url, process)
                except RuntimeError:
                    print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
                    raise
                yield Server(url, database_url, data_dir, process, log)
            finally:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                if stack == "scale":
                    clear_redis_sessions()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            with urllib.request.urlopen(url + "/api/referential", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer on {url}")


def state_names() -> dict[str, str]:
    from careerpath.ui.states.bilan import StepState
    from careerpath.ui.states.device import DeviceState

    device = DeviceState.get_full_name()
    return {
        "root": device.split(".")[0],
        "device": device,
        "step": StepState.get_full_name(),
    }


@dataclass
class User:
    device_id: str
    assessment_id: str
    sent: dict[str, int] = field(default_factory=dict)  # answered ratings, last one per code
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    connected: bool = False


class SimulatedUser:
    """One browser tab on /bilan/etape/1, speaking socket.io like Reflex's frontend."""

    def __init__(self, url: str, user: User, names: dict[str, str], rng: random.Random) -> None:
        self.url = url
        self.user = user
        self.names = names
        self.rng = rng
        self.client = socketio.AsyncClient(reconnection=False)
        self.unrated: list[str] = []
        self.ready = asyncio.Event()
        self.answered = asyncio.Event()
        self.step = 1
        self.total = 1

    @property
    def router(self) -> dict[str, Any]:
        path = f"/bilan/etape/{self.step}"
        return {"pathname": path, "asPath": path, "query": {"etape": str(self.step)}}

    async def _on_update(self, update: dict[str, Any]) -> None:
        step = (update.get("delta") or {}).get(self.names["step"], {})
        questions = step.get("questions_rx_state_")
        if questions:
            self.unrated = [q["code"] for q in questions if q.get("rating", -1) < 0]
            self.total = int(step.get("total_rx_state_", self.total) or 1)
            self.ready.set()
        if update.get("delta"):
            self.answered.set()

    async def open_step(self) -> None:
        """Open the next step's page (a new websocket, as a page load does)."""
        await self.close()
        self.step = self.step % max(self.total, 1) + 1
        self.client = socketio.AsyncClient(reconnection=False)
        await self.connect()

    async def connect(self) -> None:
        self.ready.clear()
        self.client.on("event", self._on_update, namespace=NAMESPACE)
        device = self.names["device"]
        boot = {
            "name": f"{self.names['root']}.hydrate_and_load",
            "payload": {
                "vars": {f"{device}.device_id": self.user.device_id, f"{device}.lang": "fr"}
            },
            "router_data": self.router,
        }
        await self.client.connect(
            f"{self.url}?token={uuid.uuid4()}",
            socketio_path="_event",
            transports=["websocket"],
            namespaces=[NAMESPACE],
            auth={"event": boot},
            wait_timeout=CONNECT_TIMEOUT_S,
        )
        await asyncio.wait_for(self.ready.wait(), CONNECT_TIMEOUT_S)
        self.user.connected = True

    async def rate_until(self, start_at: float, stop_at: float, interval: float) -> None:
        while True:
            await asyncio.sleep(interval * self.rng.uniform(0.5, 1.5))
            if time.monotonic() >= stop_at:
                return
            if not self.unrated:  # this step is answered: on to the next one, as a person does
                try:
                    await self.open_step()
                except (TimeoutError, socketio.exceptions.ConnectionError):
                    self.user.errors += 1
                    return
                if not self.unrated:
                    continue
            # Each answer is a question not answered yet: re-rating one changes nothing the
            # page does not already show, so the server sends nothing back for it.
            code = self.unrated.pop(self.rng.randrange(len(self.unrated)))
            level = self.rng.randint(0, 4)
            self.answered.clear()
            sent_at = time.perf_counter()
            await self.client.emit(
                "event",
                {
                    "name": f"{self.names['step']}.rate",
                    "payload": {"code": code, "level": level},
                    "router_data": self.router,
                },
                namespace=NAMESPACE,
            )
            try:
                await asyncio.wait_for(self.answered.wait(), ANSWER_TIMEOUT_S)
            except TimeoutError:
                # Too late: an error. Updates carry no event id, so wait for this event's
                # own answer before sending another (else the next wait would take it);
                # a user whose answer never comes stops.
                self.user.errors += 1
                try:
                    await asyncio.wait_for(self.answered.wait(), ANSWER_TIMEOUT_S)
                except TimeoutError:
                    return
                self.user.sent[code] = level
                continue
            self.user.sent[code] = level
            if time.monotonic() >= start_at:
                self.user.latencies.append((time.perf_counter() - sent_at) * 1000)

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()


@dataclass
class Level:
    users: int
    events_per_s: float
    p50: float
    p95: float
    errors: int
    lost: int
    client_cpu_s: float
    server_ms_per_event: float


def make_users(database_url: str, count: int, rng: random.Random) -> list[User]:
    from careerpath.services.assessments import SITUATIONS, AssessmentStore, new_device_id
    from careerpath.services.referential import load_referential

    store = AssessmentStore(database_url)
    roles = [r.code for r in load_referential(database_url).roles]
    users = []
    for _ in range(count):
        device = new_device_id()
        stored = store.start(device, rng.choice(SITUATIONS), rng.choice(roles))
        users.append(User(device, stored.id))
    return users


def lost_answers(database_url: str, users: list[User]) -> int:
    from careerpath.services.assessments import AssessmentStore

    store = AssessmentStore(database_url)
    lost = 0
    for user in users:
        stored = store.get(user.assessment_id)
        ratings = stored.ratings if stored else {}
        lost += sum(1 for code, level in user.sent.items() if ratings.get(code) != level)
    return lost


async def run_level(
    server: Server, count: int, interval: float, duration: float, seed: int
) -> Level:
    rng = random.Random(seed)
    users = make_users(server.database_url, count, rng)
    names = state_names()
    simulated = [SimulatedUser(server.url, u, names, random.Random(rng.random())) for u in users]
    cpu_started = time.process_time()
    # Connect in waves (a browser crowd does not arrive in the same millisecond).
    for start in range(0, count, 25):
        wave = simulated[start : start + 25]
        results = await asyncio.gather(*(s.connect() for s in wave), return_exceptions=True)
        for s, result in zip(wave, results, strict=True):
            if isinstance(result, BaseException):
                s.user.errors += 1
    live = [s for s in simulated if s.user.connected]
    warm_up = min(interval * 2, 10.0)
    start_at = time.monotonic() + warm_up
    stop_at = start_at + duration

    async def measure_server() -> float:
        """The server's CPU seconds over the measured window (after the warm-up)."""
        await asyncio.sleep(max(start_at - time.monotonic(), 0))
        started = server_cpu_s(server.process.pid)
        await asyncio.sleep(max(stop_at - time.monotonic(), 0))
        return server_cpu_s(server.process.pid) - started

    measured = asyncio.ensure_future(measure_server())
    await asyncio.gather(*(s.rate_until(start_at, stop_at, interval) for s in live))
    server_cpu = await measured
    await asyncio.sleep(1.0)  # let the last answered events' writes land
    await asyncio.gather(*(s.close() for s in simulated), return_exceptions=True)
    cpu = time.process_time() - cpu_started
    latencies = [ms for u in users for ms in u.latencies]
    return Level(
        users=count,
        events_per_s=len(latencies) / duration,
        p50=percentile(latencies, 0.5),
        p95=percentile(latencies, 0.95),
        errors=sum(u.errors for u in users),
        lost=lost_answers(server.database_url, users),
        client_cpu_s=cpu,
        # Every event the server handled in the window (the answers measured, and the step
        # pages opened meanwhile) shared out over the answers measured.
        server_ms_per_event=server_cpu * 1000 / max(len(latencies), 1),
    )


async def http_figures(
    server: Server, path: str, concurrency: int, requests: int, body: Any | None = None
) -> tuple[float, float, float, int, float, float]:
    """(requests/s, p50 ms, p95 ms, errors, server CPU ms per request, client CPU ms per
    request) for `requests` calls, `concurrency` at a time, after a warm-up of
    `concurrency` calls (one per connection: the connections opened, every worker's first
    request served) that is not counted.

    The client is aiohttp (about a third of httpx's CPU per request): it runs on the same
    two cores as the server, so its own cost is printed beside the server's."""
    latencies: list[float] = []
    errors = 0
    queue = list(range(requests))

    async def call(session: aiohttp.ClientSession) -> bool:
        if body is None:
            response = session.get(server.url + path)
        else:
            response = session.post(server.url + path, json=body(random.random()))
        async with response as answer:
            await answer.read()
            return answer.status == 200

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while queue:
            queue.pop()
            started = time.perf_counter()
            try:
                ok = await call(session)
            except (TimeoutError, aiohttp.ClientError):
                ok = False
            if not ok:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        # The warm-up's answers are not counted, nor are its failures (a worker starting).
        await asyncio.gather(*(call(session) for _ in range(concurrency)), return_exceptions=True)
        started = time.perf_counter()
        cpu_started = server_cpu_s(server.process.pid)
        client_started = time.process_time()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        done = max(len(latencies), 1)
        cpu_ms = (server_cpu_s(server.process.pid) - cpu_started) * 1000 / done
        client_ms = (time.process_time() - client_started) * 1000 / done
    return (
        len(latencies) / elapsed,
        percentile(latencies, 0.5),
        percentile(latencies, 0.95),
        errors,
        cpu_ms,
        client_ms,
    )


def assessment_body(database_url: str) -> Any:
    from careerpath.services.referential import load_referential

    referential = load_referential(database_url)
    codes = [c.code for c in referential.competencies]
    roles = [r.code for r in referential.roles]

    def body(seed: float) -> dict[str, Any]:
        rng = random.Random(seed)
        return {
            "current_role": rng.choice(roles),
            "target": rng.choice(roles),
            "ratings": {c: rng.randint(0, 4) for c in rng.sample(codes, 30)},
        }

    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=["embedded", "scale", "both"], default="both")
    parser.add_argument("--users", default="50,100,200,300")
    parser.add_argument("--interval", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--api-requests", type=int, default=1000)
    args = parser.parse_args()
    levels = [min(int(x), MAX_USERS) for x in args.users.split(",") if x.strip()]
    duration = min(args.duration, MAX_SECONDS)
    stacks = ["embedded", "scale"] if args.stack == "both" else [args.stack]
    print(f"load from {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    for stack in stacks:
        workers = 1 if stack == "embedded" else args.workers
        with serve(stack, workers) as server:
            label = (
                "SQLite, 1 worker"
                if stack == "embedded"
                else f"PostgreSQL + Redis, {workers} workers"
            )
            print(
                f"\n{stack} ({label}): one rating every {args.interval:g} s ± 50 %, {duration:g} s"
            )
            print(
                f"{'users':>6} {'events/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'lost':>5} {'client CPU':>11} {'server CPU/ev':>14} {'load avg':>9}"
            )
            for index, count in enumerate(levels):
                level = asyncio.run(run_level(server, count, args.interval, duration, index))
                print(
                    f"{level.users:>6} {level.events_per_s:>9.1f} {level.p50:>8.1f} {level.p95:>8.1f} "
                    f"{level.errors:>7} {level.lost:>5} {level.client_cpu_s:>10.1f}s "
                    f"{level.server_ms_per_event:>11.1f} ms "
                    f"{os.getloadavg()[0]:>9.1f}"
                )
            body = assessment_body(server.database_url)
            recommend = asyncio.run(
                http_figures(server, "/api/recommend", 32, args.api_requests, body)
            )
            reference = asyncio.run(http_figures(server, "/api/referential", 32, args.api_requests))
            for name, (rps, p50, p95, errors, cpu_ms, client_ms) in (
                ("/api/recommend (curated, target)", recommend),
                ("/api/referential (reference)", reference),
            ):
                print(
                    f"{name:<34} c=32  {rps:7.1f} req/s  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                    f"errors {errors}  CPU per request: server {cpu_ms:.1f} ms, "
                    f"client {client_ms:.1f} ms"
                )


if __name__ == "__main__":
    main()
