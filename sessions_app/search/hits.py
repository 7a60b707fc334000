"""The page of hits a reader sees: each matched record in the language it matched in, with a
highlighted title and snippet and a link straight to it (a statement's permalink in its speech).

One query for the page's documents and one per kind of record on the page, whatever the number
of hits. Records are read through the published querysets once more, so a hit whose record is
no longer public can never be shown, even for a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.safestring import SafeString

from sessions_app.models import (
    SearchKind,
    Session,
    Speaker,
    Speech,
    Statement,
)

from .highlight import Matcher, highlight, snippet
from .indexing import plain, public_speakers, public_topics
from .query import LanguageQuery

LANGUAGE_NAMES = dict(settings.LANGUAGES)


@dataclass
class Hit:
    kind: str
    lang: str
    obj: Model
    url: str
    title: SafeString
    snippet: SafeString
    label: SafeString | None = None  # a statement's topic, highlighted
    session: Session | None = None
    speech: Speech | None = None
    speaker: Speaker | None = None
    date: dt.date | None = None

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.lang, self.lang)


def _t(obj: Model | None, name: str, lang: str) -> str:
    """A text in the hit's own language (the one that matched); the page's fallback when that
    language has none (e.g. a statement's topic not yet translated)."""
    if obj is None:
        return ""
    return getattr(obj, f"{name}_{lang}", None) or getattr(obj, name, None) or ""


def _best_snippet(texts: Sequence[str], match: Matcher) -> SafeString:
    first = None
    for text in texts:
        if not text:
            continue
        html, matched = snippet(text, match)
        if matched:
            return html
        first = first if first is not None else html
    return first if first is not None else SafeString("")


def _url(obj: Model, lang: str) -> str:
    with translation.override(lang):
        return obj.get_absolute_url()


def _statement(st: Statement, lang: str, match: Matcher) -> Hit:
    speech = st.speech
    return Hit(
        kind=SearchKind.STATEMENT,
        lang=lang,
        obj=st,
        url=_url(st, lang),
        title=highlight(_t(speech, "title", lang), match),
        label=highlight(_t(st.topic, "name", lang), match),
        snippet=_best_snippet([_t(st, "text", lang)], match),
        session=speech.session,
        speech=speech,
        speaker=speech.speaker,
        date=speech.delivered_on,
    )


def _speech(sp: Speech, lang: str, match: Matcher) -> Hit:
    return Hit(
        kind=SearchKind.SPEECH,
        lang=lang,
        obj=sp,
        url=_url(sp, lang),
        title=highlight(_t(sp, "title", lang), match),
        snippet=_best_snippet(
            [_t(sp, "lead", lang), plain(_t(sp, "text", lang)), _t(sp.speaker, "name", lang)],
            match,
        ),
        session=sp.session,
        speech=sp,
        speaker=sp.speaker,
        date=sp.delivered_on,
    )


def _session(se: Session, lang: str, match: Matcher) -> Hit:
    return Hit(
        kind=SearchKind.SESSION,
        lang=lang,
        obj=se,
        url=_url(se, lang),
        title=highlight(_t(se, "title", lang), match),
        snippet=_best_snippet(
            [_t(se, "summary", lang), _t(se, "participants", lang), _t(se, "venue", lang)], match
        ),
        session=se,
        date=se.date,
    )


def _named(kind: str, obj: Model, lang: str, match: Matcher, detail: str) -> Hit:
    return Hit(
        kind=kind,
        lang=lang,
        obj=obj,
        url=_url(obj, lang),
        title=highlight(_t(obj, "name", lang), match),
        snippet=_best_snippet([_t(obj, detail, lang)], match),
    )


# The records of a page of hits, through the published querysets, without the models' default
# ordering (the hits keep the ranking's order; sorting by related fields only costs time).
LOADERS = {
    SearchKind.STATEMENT: lambda ids: (
        Statement.objects.published().with_context().filter(pk__in=ids).order_by()
    ),
    SearchKind.SPEECH: lambda ids: (
        Speech.objects.published()
        .select_related("speaker", "session")
        .filter(pk__in=ids)
        .order_by()
    ),
    SearchKind.SESSION: lambda ids: Session.objects.published().filter(pk__in=ids).order_by(),
    SearchKind.TOPIC: lambda ids: public_topics().filter(pk__in=ids).order_by(),
    SearchKind.SPEAKER: lambda ids: public_speakers().filter(pk__in=ids).order_by(),
}

BUILDERS = {
    SearchKind.STATEMENT: _statement,
    SearchKind.SPEECH: _speech,
    SearchKind.SESSION: _session,
    SearchKind.TOPIC: lambda obj, lang, m: _named(SearchKind.TOPIC, obj, lang, m, "description"),
    SearchKind.SPEAKER: lambda obj, lang, m: _named(SearchKind.SPEAKER, obj, lang, m, "position"),
}


def build_hits(
    rows: Sequence[tuple[int, str, int, str]], queries: Sequence[LanguageQuery]
) -> list[Hit]:
    """Hits for ranked index rows (id, kind, object_id, lang), in their order."""
    wanted: dict[str, set[int]] = {}
    for _, kind, object_id, _ in rows:
        wanted.setdefault(kind, set()).add(object_id)
    records = {
        kind: {obj.pk: obj for obj in LOADERS[kind](object_ids)}
        for kind, object_ids in wanted.items()
    }
    matchers = {q.lang: Matcher(q) for q in queries}
    hits = []
    for _, kind, object_id, lang in rows:
        obj = records.get(kind, {}).get(object_id)
        if obj is not None and lang in matchers:
            hits.append(BUILDERS[kind](obj, lang, matchers[lang]))
    return hits
