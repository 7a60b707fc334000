"""The query language readers type: what each piece of syntax means, and how any other text is
read as plain words (no database needed)."""

from __future__ import annotations

import pytest

from search.backends.postgresql import compile_tsquery
from search.backends.sqlite import compile_match
from search.query import MAX_QUERY_LENGTH, Item, in_language, parse


def words(query) -> list[list[str]]:
    return [[" ".join(item.words) for item in clause] for clause in query.clauses]


def test_every_word_is_a_clause_of_its_own():
    assert words(parse("flood relief")) == [["flood"], ["relief"]]


def test_quoted_words_are_one_phrase():
    query = parse('"su tasqyny" relief')
    assert query.clauses[0] == (Item(("su", "tasqyny")),)
    assert words(query)[1] == ["relief"]


def test_unclosed_quote_runs_to_the_end():
    assert parse('"new reservoirs').clauses == ((Item(("new", "reservoirs")),),)


def test_minus_excludes_a_word_or_a_phrase():
    query = parse('flood -evacuation -"state agencies"')
    assert words(query) == [["flood"]]
    assert query.excluded == (Item(("evacuation",)), Item(("state", "agencies")))


def test_or_joins_the_two_neighbouring_items():
    assert words(parse("flood OR паводок relief")) == [["flood", "паводок"], ["relief"]]


def test_lowercase_or_is_an_ordinary_word():
    assert words(parse("flood or drought")) == [["flood"], ["or"], ["drought"]]


@pytest.mark.parametrize("text", ["OR flood", "flood OR", "flood OR OR drought"])
def test_stray_or_is_ignored(text):
    assert [w for clause in words(parse(text)) for w in clause] in (
        ["flood"],
        ["flood", "drought"],
    )


def test_star_makes_a_prefix():
    assert parse("reserv*").clauses == ((Item(("reserv",), prefix=True),),)


def test_hyphenated_word_is_a_phrase_of_its_parts():
    assert parse("ҚХА-дан").clauses == ((Item(("ҚХА", "дан")),),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NEAR(flood", [["NEAR flood"]]),
        ("flood:relief", [["flood relief"]]),
        ("^flood", [["flood"]]),
        ("title:flood", [["title flood"]]),
        (
            "' OR 1=1; DROP TABLE sessions_app_statement; --",
            [["1 1"], ["DROP"], ["TABLE"], ["sessions app statement"]],
        ),
    ],
)
def test_operators_of_the_engines_are_plain_words(text, expected):
    assert words(parse(text)) == expected


@pytest.mark.parametrize("text", ["", "   ", "*", ":", "^", "-", "- -", '"', '""', "()", "\x00"])
def test_nothing_to_look_for(text):
    assert parse(text).is_empty


def test_only_excluded_words_is_empty_but_remembers_them():
    query = parse("-flood")
    assert query.is_empty
    assert query.excluded == (Item(("flood",)),)


def test_control_characters_are_spaces():
    assert words(parse("flood\x00relief\x1b\u200b")) == [["flood"], ["relief"]]


def test_long_query_is_cut_at_a_word_and_says_so():
    query = parse("паводок " * 2000)
    assert query.truncated
    assert len(query.text) <= MAX_QUERY_LENGTH
    assert query.text.endswith("паводок")


def test_query_at_the_limit_is_not_cut():
    text = "a" * MAX_QUERY_LENGTH
    assert not parse(text).truncated


@pytest.mark.parametrize(
    ("lang", "word", "term"),
    [("ru", "паводками", "паводок"), ("en", "flooding", "flood"), ("kk", "Бірлік", "birlik")],
)
def test_items_are_normalised_per_language(lang, word, term):
    assert in_language(parse(word), lang).clauses[0][0].tokens == (term,)


def test_prefix_is_folded_not_stemmed():
    term = in_language(parse("Reservoirs*"), "en").clauses[0][0]
    assert term.prefix and term.tokens == ("reservoirs",)


def test_single_letter_prefix_is_a_word():
    term = in_language(parse("a*"), "en").clauses[0][0]
    assert not term.prefix


def test_prefix_expands_to_known_terms():
    lq = in_language(parse("паводк*"), "ru", expand=lambda lang, form: ["паводок"])
    assert lq.clauses[0][0].expansions == ("паводок",)


def test_compiled_queries_quote_every_token():
    lq = in_language(parse('flood OR drought "state agencies" reserv* -evacuation'), "en")
    match = compile_match(lq)
    assert '("flood" OR "drought")' in match
    assert '"state agency"' in match
    assert '"reserv" *' in match
    assert match.endswith(' NOT ("evacuation")')
    tsquery = compile_tsquery(lq)
    assert "('flood' | 'drought')" in tsquery
    assert "'state' <-> 'agency'" in tsquery
    assert "'reserv':*" in tsquery
    assert tsquery.endswith("& !('evacuation')")
