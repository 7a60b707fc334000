"""Import benchmark: a seeded, realistic apk-archive/1 file (many sessions over many years, their
speeches, statements in Kazakh, Russian and English with figures) imported into a fresh, empty
database by `manage.py import_sessions`, as an editor restoring or bulk-loading an archive would.

    make bench-import                                     # SQLite, 20,000 statements
    .venv/bin/python bench/import.py --postgres           # PostgreSQL (DATABASE_URL or local)
    .venv/bin/python bench/import.py --statements 2000    # a quicker, smaller run
    .venv/bin/python bench/import.py --profile            # where the first import's time goes

It times three imports of the same database: the whole file into the empty database (search
index included, one transaction), the same file again (nothing changes), and the file with 1% of
its statements edited and some removed (updates in place). It then exports the archive and
checks that the export equals the file. This is a benchmark, not a test: it reports.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import importlib.util
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first: bench/ holds scripts whose names may be those of the project's apps.
sys.path.insert(0, str(ROOT))

LANGS = ("kk", "ru", "en")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL")
    parser.add_argument(
        "--database",
        default=None,
        help="SQLite file (default /tmp/apk-import-bench.sqlite3) or PostgreSQL URL "
        "(default $DATABASE_URL's server, database apk_import_bench)",
    )
    parser.add_argument("--seed", type=int, default=33)
    parser.add_argument(
        "--profile",
        choices=("pyinstrument", "cprofile"),
        nargs="?",
        const="pyinstrument",
        help="profile the first import and print where its time went",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    return parser.parse_args()


def setup_database(args: argparse.Namespace) -> str:
    """Point Django at a fresh, empty database of our own."""
    if args.postgres or (args.database or "").startswith("postgres"):
        url = args.database or os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            url = "postgres://postgres@127.0.0.1:5432/postgres"
        base, _, name = url.rpartition("/")
        if not args.database:
            name = "apk_import_bench"
            url = f"{base}/{name}"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(args.database or "/tmp/apk-import-bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apkportal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


# --- the archive -------------------------------------------------------------------------------


def bench_search():
    """bench/search.py, for the demo's word pairs (its Markov chains) and the machine's
    description, which both benchmarks share."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(n_statements: int, seed: int) -> dict:
    """An archive of about 30 years of sessions (four a year), 8 to 14 speeches each, about 20
    statements a speech under a few topics, one statement in three with figures."""
    rng = random.Random(seed)
    shared = bench_search()
    texts = shared.demo_texts()
    chains = {lang: shared.Markov(texts[lang], rng) for lang in LANGS}

    def tr(length: int, drop_en: float = 0.0) -> dict[str, str]:
        out = {lang: chains[lang].text(length) for lang in LANGS}
        if rng.random() < drop_en:
            del out["en"]  # not yet translated
        return out

    speakers = [{"slug": f"speaker-{i:03d}", "name": tr(3), "position": tr(6)} for i in range(80)]
    topics = [{"slug": f"topic-{i:02d}", "name": tr(4), "description": tr(25)} for i in range(36)]
    sessions = []
    made = 0
    number = 1
    day = dt.date(1995, 3, 1)
    while made < n_statements:
        session = {
            "number": number,
            "date": day.isoformat(),
            "status": "draft" if number % 20 == 7 else "published",
            "format": rng.choice(["in_person", "in_person", "online", "hybrid"]),
            "title": tr(6),
            "venue": tr(3),
            "summary": tr(80),
            "participants": tr(20),
            "chair": rng.choice(speakers)["slug"],
            "speeches": [],
        }
        for order in range(1, rng.randint(8, 14) + 1):
            if made >= n_statements:
                break
            sections = []
            count = min(rng.randint(12, 28), n_statements - made)
            for k in range(count):
                if not sections or rng.random() < 0.2:
                    # A section is a run of one topic: the next one is always another.
                    previous = sections[-1]["topic"] if sections else None
                    topic = rng.choice([t["slug"] for t in topics if t["slug"] != previous])
                    sections.append({"topic": topic, "statements": []})
                figures = []
                if rng.random() < 0.35:
                    for _ in range(rng.randint(1, 3)):
                        value = rng.choice(
                            [
                                str(rng.randint(1, 10**9)),
                                f"{rng.randint(0, 999)}.{rng.randint(1, 9)}",
                            ]
                        )
                        figures.append({"value": value, "unit": tr(1), "label": tr(5)})
                sections[-1]["statements"].append(
                    {
                        "id": f"s{k + 1}-{rng.randrange(10**6):06d}",
                        "text": tr(40, 0.05),
                        "figures": figures,
                    }
                )
                made += 1
            speech = {
                "slug": f"speech-{number}-{order}",
                "speaker": rng.choice(speakers)["slug"],
                "delivered_on": day.isoformat(),
                "status": "published",
                "order": order,
                "title": tr(10),
                "lead": tr(40),
                "text": tr(200) if rng.random() < 0.3 else {},
                "sections": sections,
            }
            if rng.random() < 0.8:
                speech["original_language"] = rng.choice(["kk", "kk", "ru"])
            session["speeches"].append(speech)
        sessions.append(session)
        number += 1
        day += dt.timedelta(days=rng.randint(80, 100))
    return {"format": "apk-archive/1", "speakers": speakers, "topics": topics, "sessions": sessions}


def edited(data: dict, rng: random.Random) -> tuple[dict, int, int]:
    """1% of the statements with a new English text, one statement in 500 removed."""
    data = copy.deepcopy(data)
    changed = removed = 0
    for session in data["sessions"]:
        for speech in session["speeches"]:
            for section in speech["sections"]:
                kept = []
                for st in section["statements"]:
                    roll = rng.random()
                    if roll < 0.002 and len(section["statements"]) > 1:
                        removed += 1
                        continue
                    if roll < 0.012:
                        st["text"]["en"] = st["text"].get("en", "") + " (corrected)"
                        changed += 1
                    kept.append(st)
                section["statements"] = kept
    return data, changed, removed


# --- measuring -------------------------------------------------------------------------------


def run_import(path: Path, profile: str | None = None) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    profiler = None
    if profile == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    elif profile == "cprofile":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_sessions", str(path), stdout=out, stderr=io.StringIO())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    if profile == "pyinstrument":
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    elif profile == "cprofile":
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    lines = [line for line in out.getvalue().splitlines() if " of " not in line]  # progress
    report = "; ".join(line for line in lines if not line.endswith("…"))
    return seconds, f"(Python's CPU {cpu:.1f} s)   {report}"


def main() -> None:
    args = parse_args()
    url = setup_database(args)
    from django.db import connection

    from sessions_app.models import Statement

    started = time.perf_counter()
    data = generate(args.statements, args.seed)
    path = Path(f"/tmp/apk-import-bench-{os.getpid()}.json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    n_speeches = sum(len(se["speeches"]) for se in data["sessions"])
    n_figures = sum(
        len(st["figures"])
        for se in data["sessions"]
        for sp in se["speeches"]
        for sec in sp["sections"]
        for st in sec["statements"]
    )
    print(f"machine: {bench_search().machine()}")
    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = ".".join(str(connection.pg_version // 10000**i % 100) for i in (1, 0))
    print(f"database: {connection.vendor} {version} ({url})")
    print(
        f"archive: {len(data['sessions'])} sessions ({data['sessions'][0]['date'][:4]}–"
        f"{data['sessions'][-1]['date'][:4]}), {n_speeches} speeches, {args.statements:,} "
        f"statements, {n_figures:,} figures, kk/ru/en; {path.stat().st_size / 2**20:.1f} MB, "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    try:
        seconds, report = run_import(path, args.profile)
        print(f"first import (empty database):   {seconds:6.1f} s   {report}")
        assert Statement.objects.count() == args.statements
        seconds, report = run_import(path)
        print(f"same file again (no change):     {seconds:6.1f} s   {report}")
        changed, changed_n, removed_n = edited(data, random.Random(args.seed + 1))
        edited_path = path.with_suffix(".edited.json")
        edited_path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        seconds, report = run_import(edited_path)
        print(f"edited file ({changed_n} edited, {removed_n} removed): {seconds:6.1f} s   {report}")
        try:
            from sessions_app.archive import export_archive
        except ImportError:  # before the format had a module of its own
            from sessions_app.services import export_archive

        started = time.perf_counter()
        exported = export_archive()
        seconds = time.perf_counter() - started
        same = json.dumps(exported, sort_keys=True) == json.dumps(changed, sort_keys=True)
        print(f"export: {seconds:.1f} s; equal to the imported file: {'yes' if same else 'NO'}")
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            path.with_suffix(".edited.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
