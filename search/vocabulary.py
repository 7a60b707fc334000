"""The vocabulary of word forms seen in the archive (SearchTerm): prefix expansion and the
similarity measure behind "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.functions import Length

from search.models import SearchTerm

from .query import MAX_PREFIX_EXPANSIONS


def record(forms: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Add word forms {(lang, form): (term, surface)}; forms already known are left alone."""
    if forms:
        SearchTerm.objects.bulk_create(
            [
                SearchTerm(lang=lang, form=form, term=term, surface=surface)
                for (lang, form), (term, surface) in forms.items()
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )


def expand_prefix(lang: str, prefix: str) -> list[str]:
    """Terms whose written forms begin with `prefix` (паводк* → паводок), at most
    MAX_PREFIX_EXPANSIONS; the prefix itself is always matched against the terms as well."""
    # A range rather than LIKE 'prefix%', which SQLite cannot answer from the index.
    rows = (
        SearchTerm.objects.filter(lang=lang, form__gte=prefix, form__lt=prefix + "\U0010ffff")
        .order_by("form")
        .values_list("term", flat=True)[: MAX_PREFIX_EXPANSIONS * 4]
    )
    found = [term for term in dict.fromkeys(rows) if not term.startswith(prefix)]
    return found[:MAX_PREFIX_EXPANSIONS]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams: the word padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


# pg_trgm's default threshold for its % operator.
SIMILARITY_THRESHOLD = 0.3
# Candidates compared in Python on SQLite: the forms that share the first letter and roughly the
# length of the word typed; enough for typos, few enough to be quick.
MAX_CANDIDATES = 5000


def similar_forms_python(lang: str, form: str, limit: int) -> list[tuple[str, str, str, float]]:
    """(form, term, surface, similarity) of the known forms closest to `form`, best first."""
    if not form:
        return []
    candidates = (
        SearchTerm.objects.annotate(n=Length("form"))
        .filter(
            lang=lang,
            form__startswith=form[0],
            n__gte=max(1, len(form) - 3),
            n__lte=len(form) + 3,
        )
        .exclude(form=form)
        .values_list("form", "term", "surface")[:MAX_CANDIDATES]
    )
    return _best(form, candidates, limit)


def _best(form: str, rows: Iterable[tuple[str, str, str]], limit: int):
    scored = [(f, t, s, similarity(form, f)) for f, t, s in rows]
    scored = [row for row in scored if row[3] >= SIMILARITY_THRESHOLD]
    scored.sort(key=lambda row: (-row[3], row[0]))
    return scored[:limit]
