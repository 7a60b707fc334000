"""Which app may import which (README, "Architecture"): the content knows nothing of search or
the API, search knows nothing of the API, the search engine knows no page, and the language
layer is plain Python. A new import across these lines fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(folder: str, *, skip: tuple[str, ...] = ("migrations",)) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not any(part in skip for part in path.relative_to(ROOT).parts)
    ]


def _imports(path: Path) -> set[str]:
    """Every module the file imports, relative imports resolved against its package."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = list(path.relative_to(ROOT).parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _offending(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def test_the_content_app_knows_nothing_of_search_or_the_api():
    assert _offending(_modules("sessions_app"), ("search", "api")) == []


def test_search_knows_nothing_of_the_api():
    assert _offending(_modules("search"), ("api",)) == []


ENGINE = [
    "search/engine.py",
    "search/query.py",
    "search/indexing.py",
    "search/vocabulary.py",
    "search/terms.py",
    "search/signals.py",
    "search/models.py",
    *(str(p.relative_to(ROOT)) for p in _modules("search/backends")),
]


def test_the_search_engine_knows_no_page():
    """search() answers with records; addresses, templates and marked-up HTML belong to the page
    (the index may read HTML to make it plain text)."""
    forbidden = (
        "django.urls",
        "django.template",
        "django.shortcuts",
        "django.utils.safestring",
        "search.hits",
        "search.highlight",
        "search.views",
        "search.filters",
    )
    assert _offending([ROOT / p for p in ENGINE], forbidden) == []


@pytest.mark.parametrize("path", _modules("search/language"), ids=lambda p: p.name)
def test_the_language_layer_is_plain_python(path):
    assert _offending([path], ("django", "search.models", "sessions_app")) == []


def test_the_checks_cover_real_files():
    # The lists above are read from the tree: an empty list would make every check pass.
    assert len(_modules("sessions_app")) > 10
    assert len(_modules("search/language")) >= 3
    assert all((ROOT / p).is_file() for p in ENGINE)
    assert "search.engine" in _imports(ROOT / "search/hits.py")
