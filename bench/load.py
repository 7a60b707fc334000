"""Load benchmark: the public pages and the API under 32 concurrent readers, served by gunicorn on
127.0.0.1 as in production (DEBUG off, pages cached in Redis), from the demo session plus a
synthetic archive (bench/search.py's generator) in a fresh SQLite file under /tmp.

    make bench-load                                     # 50,000 statements, 10 s per run
    .venv/bin/python bench/load.py --statements 5000 --seconds 5     # a quicker run
    .venv/bin/python bench/load.py --reuse              # the previous run's archive, no build

Each kind of page is driven on its own by wrk (32 connections, a Lua script cycling through that
kind's addresses), twice: as readers find it (every address read before, so from the cache) and
uncached (each request's address made unique with an extra parameter, so each one is rendered).
Then one run mixes every kind. It prints requests/s, latency percentiles and errors per run, and
each run's throughput as a share of robots.txt, a trivial Django view that the cache leaves out,
measured by the same server in the same run. Only 127.0.0.1 is ever sent traffic, and every run
is bounded in time. This is a benchmark, not a test: it reports.

wrk (Debian: `apt-get install wrk`) rather than a Python load tool: it is one small C program
whose event loop costs a fraction of a core at thousands of requests a second, where locust would
take a whole core of the two the server needs, and its Lua hooks give the address mix and p95.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first: bench/ holds scripts whose names are those of the project's apps.
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

LUA = r"""
local paths = {}
local bust = false
local counter = 0
local serial = 0

function setup(thread)
  serial = serial + 1
  thread:set("id", serial)
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  bust = args[2] == "1"
  counter = (id or 0) * 7919
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if bust then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "nocache=" .. (id or 0) .. "-" .. counter
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f %.1f %.1f\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: CPUs + 1)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--database", default="/tmp/apk-load-bench.sqlite3")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="the page cache")
    parser.add_argument("--reuse", action="store_true", help="the previous run's archive")
    parser.add_argument("--seed", type=int, default=33)
    return parser.parse_args()


def bench_search():
    """bench/search.py, for its archive generator and machine description."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{args.database}",
        CACHE_URL=args.redis,
        DJANGO_SETTINGS_MODULE="apkportal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Every simulated reader comes from one address: the API's limit per address would
        # answer most of them 429 and measure nothing.
        APK_API_RATE_PER_MINUTE="0",
    )
    return env


def build(args: argparse.Namespace, generator) -> None:
    """The archive, its search index and the static files, in this process."""
    os.environ.update(server_env(args))
    path = Path(args.database)
    if not (args.reuse and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from search import indexing
    from sessions_app.cache import advance
    from sessions_app.models import Statement

    call_command("migrate", verbosity=0)
    if args.reuse and Statement.objects.count() > args.statements:
        print(f"data: reused, {Statement.objects.count():,} statements")
    else:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        seconds = generator.build_archive(args.statements, args.seed)
        print(
            f"data: {args.statements:,} synthetic statements x 3 languages + the demo, "
            f"{seconds:.0f} s"
        )
        report = indexing.rebuild(batch_size=5000)
        print(f"index: {report.documents:,} documents in {report.seconds:.0f} s")
    # Pages a previous run cached are never read: the generation is past them.
    advance()
    call_command("collectstatic", interactive=False, verbosity=0)


def addresses() -> dict[str, list[str]]:
    """The addresses of each kind of page, from the archive itself."""
    from django.urls import reverse
    from django.utils import translation

    from sessions_app.models import Session, Speech, Topic

    langs = ("kk", "ru", "en")
    sessions = list(Session.objects.published().order_by("-number")[:40])
    speeches = list(
        Speech.objects.published().select_related("session").order_by("-session__number")[:80]
    )
    topics = list(Topic.objects.published().order_by("slug")[:20])
    years = sorted({s.date.year for s in sessions})
    words = {
        "kk": ["су тасқыны", "Қазақстан", "su tasqyny", "бірлік"],
        "ru": ["паводками", "водохран*", "Казахстан", "реформы"],
        "en": ["government", "Kazakhstan", '"new reservoirs"', "helicopters"],
    }

    def url(lang, name, **kwargs):
        with translation.override(lang):
            return reverse(name, kwargs=kwargs or None)

    kinds: dict[str, list[str]] = {
        "home": [url(lang, "sessions_app:home") for lang in langs],
        "archive with filters": [],
        "session": [],
        "speech": [],
        "topic": [],
        "search": [],
        "search with filters": [],
        "feed": [],
        "API": [],
    }
    for i, lang in enumerate(langs * 8):
        base = url(lang, "sessions_app:session-list")
        year, topic = years[i % len(years)], topics[i % len(topics)].slug
        kinds["archive with filters"] += [f"{base}?year={year}", f"{base}?topic={topic}&page=1"]
    for i, session in enumerate(sessions):
        kinds["session"].append(
            url(langs[i % 3], "sessions_app:session-detail", number=session.number)
        )
    for i, speech in enumerate(speeches):
        kinds["speech"].append(
            url(
                langs[i % 3],
                "sessions_app:speech-detail",
                number=speech.session.number,
                slug=speech.slug,
            )
        )
    for i, topic in enumerate(topics):
        kinds["topic"].append(url(langs[i % 3], "sessions_app:topic-detail", slug=topic.slug))
    from urllib.parse import urlencode

    for lang in langs:
        search = url(lang, "search:search")
        for i, word in enumerate(words[lang]):
            kinds["search"].append(f"{search}?{urlencode({'q': word})}")
            kinds["search with filters"].append(
                f"{search}?{urlencode({'q': word, 'year': years[i % len(years)]})}"
            )
            kinds["search with filters"].append(
                f"{search}?{urlencode({'q': word, 'topic': topics[i % len(topics)].slug})}"
            )
        kinds["feed"].append(url(lang, "sessions_app:feed-speeches"))
        kinds["feed"] += [url(lang, "sessions_app:feed-topic", slug=t.slug) for t in topics[:3]]
    for i, session in enumerate(sessions[:10]):
        kinds["API"] += [
            f"/api/v1/sessions/{session.number}/",
            f"/api/v1/sessions/?year={session.date.year}",
            f"/api/v1/statements/?session={session.number}",
            f"/api/v1/search/?{urlencode({'q': words['en'][i % 4], 'lang': 'en'})}",
        ]
    return kinds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


def drain(base: str, patience: float = 60) -> None:
    """Wait until the server answers a trivial request at once (it finished the last run's)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        started = time.monotonic()
        get(f"{base}/robots.txt")
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def wrk(base: str, paths: list[str], seconds: int, connections: int, bust: bool, workdir: Path):
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = workdir / "mix.lua"
    script.write_text(LUA)
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(script), base, "--", str(listing), "1" if bust else "0",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, socket_errors, status_errors, p50, p95, p99, worst = line.split()[1:]
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "errors": int(socket_errors) + int(status_errors),
        "p50": float(p50) / 1000,
        "p95": float(p95) / 1000,
        "p99": float(p99) / 1000,
        "max": float(worst) / 1000,
    }


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench-load needs wrk: apt-get install -y wrk")
    generator = bench_search()
    print(f"machine: {generator.machine()}")
    build(args, generator)
    kinds = addresses()

    cpus = os.cpu_count() or 1
    workers = args.workers or cpus + 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "apkportal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
        ],
        cwd=ROOT,
        env=server_env(args),
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if get(f"{base}/robots.txt")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")
        print(
            f"server: gunicorn, {workers} workers x {args.threads} threads (gthread), DEBUG off, "
            f"SQLite, pages cached in Redis; wrk: {args.connections} connections, "
            f"{args.seconds} s a run\n"
        )
        # Every address read once: the runs "from the cache" see the pages as readers find them.
        cacheable = {}
        for kind, paths in kinds.items():
            answers = [get(base + path) for path in paths]
            bad = [
                (path, status)
                for path, (status, _cc) in zip(paths, answers, strict=True)
                if status != 200
            ]
            if bad:
                sys.exit(f"{kind}: not 200: {bad[:3]}")
            cacheable[kind] = all("public" in cc for _status, cc in answers)

        runs: list[tuple[str, dict]] = []
        with tempfile.TemporaryDirectory() as workdir:
            work = Path(workdir)
            runs.append(
                (
                    "trivial view (robots.txt)",
                    wrk(base, ["/robots.txt"], args.seconds, args.connections, False, work),
                )
            )
            runs.append(
                (
                    "static file (whitenoise)",
                    wrk(
                        base,
                        ["/static/css/archive.css"],
                        args.seconds,
                        args.connections,
                        False,
                        work,
                    ),
                )
            )
            # The cached runs first: an uncached run leaves the workers busy with what its
            # connections asked last, and each run waits for the server to be idle again.
            for kind, paths in kinds.items():
                label = "cached" if cacheable[kind] else "not cacheable"
                drain(base)
                runs.append(
                    (
                        f"{kind}, {label}",
                        wrk(base, paths, args.seconds, args.connections, False, work),
                    )
                )
            mixed = [path for paths in kinds.values() for path in paths]
            drain(base)
            runs.append(
                (
                    "mixed, every kind, cached",
                    wrk(base, mixed, args.seconds, args.connections, False, work),
                )
            )
            for kind, paths in kinds.items():
                drain(base)
                runs.append(
                    (
                        f"{kind}, uncached",
                        wrk(base, paths, args.seconds, args.connections, True, work),
                    )
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    trivial = runs[0][1]["rps"]
    print(
        f"{'run':40} {'req/s':>8} {'x trivial':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for label, r in runs:
        print(
            f"{label:40} {r['rps']:8.0f} {r['rps'] / trivial:8.0%} {r['p50']:8.1f} "
            f"{r['p95']:8.1f} {r['p99']:8.1f} {r['errors']:7d}"
        )
    errors = sum(r["errors"] for _label, r in runs)
    cached = [r for label, r in runs[2:] if label.endswith(", cached") and "mixed" not in label]
    uncached = [r for label, r in runs if label.endswith(", uncached")]
    print(
        f"\ntargets: cached pages >= 50% of the trivial view: "
        f"{sum(r['rps'] >= trivial / 2 for r in cached)} of {len(cached)}; "
        f"uncached p95 <= 250 ms: {sum(r['p95'] <= 250 for r in uncached)} of {len(uncached)}; "
        f"errors: {errors}"
    )


if __name__ == "__main__":
    main()
