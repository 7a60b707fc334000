"""Page benchmark: how long each kind of public page takes to render when it is not in the page
cache, on a large archive, with the number of queries it runs.

    make bench-pages                                          # 200,000 statements on SQLite
    .venv/bin/python bench/pages.py --reuse                   # the previous run's archive
    .venv/bin/python bench/pages.py --database /tmp/a.sqlite3 --reuse   # any archive file
    .venv/bin/python bench/pages.py --postgres                # PostgreSQL (DATABASE_URL or local)

The archive is bench/search.py's synthetic one (1 session in 20 a draft), without its search
index: these pages never read it. Each page is rendered by Django's test client in this
process (DEBUG off, local-memory cache), in two ways, taking turns so that the machine's
changes of speed fall on both alike:

- `uncached`: its address made unique with an extra parameter, so the page cache never has it,
  as for a reader who asks for a page nobody asked for since the last change;
- `after an edit`: the content generation moved on before each render, as for the first reader
  after an editor's change: nothing read from the content before is used.

It prints p50 and p95 per kind of page, and the queries each ran. A benchmark, not a test."""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first: bench/ holds scripts whose names are those of the project's apps.
sys.path.insert(0, str(ROOT))


def bench_search():
    """bench/search.py, for its archive generator and machine description."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=40, help="renders of each kind, each way")
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL")
    parser.add_argument(
        "--database",
        default=None,
        help="SQLite file (default /tmp/apk-pages-bench.sqlite3) or PostgreSQL URL "
        "(default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/apk_pages_bench)",
    )
    parser.add_argument("--seed", type=int, default=33)
    parser.add_argument("--reuse", action="store_true", help="the archive already in the database")
    return parser.parse_args()


def setup(args: argparse.Namespace, generator) -> str:
    """Django on the archive: built afresh, or the one in the database with --reuse."""
    if args.postgres or (args.database or "").startswith("postgres"):
        url = args.database or os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            url = "postgres://postgres@127.0.0.1:5432/apk_pages_bench"
        if not args.reuse:
            import psycopg

            base, _, name = url.rpartition("/")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(args.database or "/tmp/apk-pages-bench.sqlite3")
        for suffix in ("", "-wal", "-shm") if not args.reuse else ():
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="apkportal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-pages-not-a-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_COOKIES="0",
        CACHE_URL="",
        APK_PAGE_CACHE_SECONDS="600",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from sessions_app.models import Statement

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: from the manifest
    if not args.reuse:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        seconds = generator.build_archive(args.statements, args.seed)
        print(f"data: {args.statements:,} synthetic statements x 3 languages, {seconds:.0f} s")
        if url.startswith("postgres"):
            from django.db import connection

            with connection.cursor() as cursor:  # as autovacuum would, for index-only scans
                cursor.execute("VACUUM ANALYZE")
    print(f"archive: {Statement.objects.count():,} statements, {url}")
    return url


def addresses() -> dict[str, list[str]]:
    """The addresses of each kind of page, in the three languages, from the archive itself."""
    from django.urls import reverse
    from django.utils import translation

    from sessions_app.models import Session, Speaker, Speech, Topic

    langs = ("kk", "ru", "en")
    sessions = list(Session.objects.published().order_by("date"))
    middle = sessions[len(sessions) // 2 :][:30]
    speeches = list(
        Speech.objects.published().filter(session__in=middle).select_related("session")[:30]
    )
    topics = list(Topic.objects.published().order_by("slug")[5:35])
    speakers = list(Speaker.objects.published().order_by("slug")[:30])
    years = sorted({s.date.year for s in sessions})

    def url(i: int, name: str, **kwargs) -> str:
        with translation.override(langs[i % 3]):
            return reverse(f"sessions_app:{name}", kwargs=kwargs or None)

    def each(name: str, query: str = "", **kwargs) -> list[str]:
        return [url(i, name, **kwargs) + query for i in range(3)]

    archive = [url(i, "session-list") for i in range(30)]
    return {
        "home": each("home"),
        "archive": each("session-list"),
        "archive, deep page": [f"{a}?page={20 + i}" for i, a in enumerate(archive)],
        "archive by year": [f"{a}?year={years[i % len(years)]}" for i, a in enumerate(archive)],
        "archive by topic": [f"{a}?topic={t.slug}" for a, t in zip(archive, topics, strict=False)],
        "archive by speaker": [
            f"{a}?speaker={s.slug}" for a, s in zip(archive, speakers, strict=False)
        ],
        "archive by format": [f"{a}?format=online" for a in archive],
        "archive, 3 filters": [
            f"{a}?year={years[i % len(years)]}&topic={topics[i].slug}&format=in_person"
            for i, a in enumerate(archive)
        ],
        "session": [url(i, "session-detail", number=s.number) for i, s in enumerate(middle)],
        "speech": [
            url(i, "speech-detail", number=s.session.number, slug=s.slug)
            for i, s in enumerate(speeches)
        ],
        "topics": each("topic-list"),
        "topic": [url(i, "topic-detail", slug=t.slug) for i, t in enumerate(topics)],
        "topic, deep page": [
            url(i, "topic-detail", slug=t.slug) + "?page=40" for i, t in enumerate(topics)
        ],
        "speakers": each("speaker-list"),
        "speaker": [url(i, "speaker-detail", slug=s.slug) for i, s in enumerate(speakers)],
        "feed of speeches": each("feed-speeches"),
        "feed of a topic": [url(i, "feed-topic", slug=t.slug) for i, t in enumerate(topics)],
    }


def render(client, address: str, serial: int) -> float:
    joiner = "&" if "?" in address else "?"
    started = time.perf_counter()
    response = client.get(f"{address}{joiner}bench={serial}")
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{address}: {response.status_code}")
    return elapsed


def counting(queries: list[str]):
    """A database wrapper that notes each query a page runs."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    args = parse_args()
    generator = bench_search()
    setup(args, generator)
    from django.db import connection
    from django.test import Client

    from sessions_app.cache import advance

    client = Client()
    kinds = addresses()
    print(generator.machine())
    header = f"{'uncached p50/p95 ms':>20}   {'after an edit p50/p95 ms':>24}"
    print(f"\n{'page':22} {'queries':>7}   {header}")
    serial = 0
    for kind, urls in kinds.items():
        for address in urls[:3]:  # a first render of each, before timing
            serial += 1
            render(client, address, serial)
        queries: list[str] = []
        with connection.execute_wrapper(counting(queries)):
            serial += 1
            render(client, urls[0], serial)
        uncached, edited = [], []
        for i in range(args.repeat):
            address = urls[i % len(urls)]
            serial += 1
            uncached.append(render(client, address, serial))
            advance()
            serial += 1
            edited.append(render(client, address, serial))
        print(
            f"{kind:22} {len(queries):7}   "
            f"{statistics.median(uncached):9.1f}/{p95(uncached):<9.1f}  "
            f"{statistics.median(edited):12.1f}/{p95(edited):<9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
