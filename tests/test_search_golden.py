"""The golden set (tests/search_golden.py): every query finds each of its statements among the
first ten results, in its language, on either database."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.utils import translation

from search.engine import search
from search.hits import hits_for
from tests.search_golden import GOLDEN

pytestmark = pytest.mark.django_db


def top_ten(query: str, lang: str) -> list[str]:
    with translation.override(lang):
        hits = hits_for(search(query, languages=[lang], page_size=10))
    return [h.key for h in hits if h.kind == "statement"]


def test_the_golden_set_is_big_enough_and_covers_every_language():
    per_language = defaultdict(int)
    for lang, _, keys in GOLDEN:
        per_language[lang] += 1
        assert keys
    assert len(GOLDEN) >= 40
    assert min(per_language.values()) >= 12


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_golden_query_finds_its_statements_in_the_top_ten(demo, lang):
    misses = []
    for query_lang, query, keys in GOLDEN:
        if query_lang != lang:
            continue
        found = top_ten(query, lang)
        if keys - set(found):
            misses.append(f"{query!r}: missing {sorted(keys - set(found))}, top ten {found}")
    assert not misses, "\n".join(misses)
