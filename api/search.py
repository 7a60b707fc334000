"""`/api/v1/search/?q=…&lang=…`: the search engine's ranked records as open data, on the same
engine, query syntax and filters as the search page. Each result names its record (kind and the
ids a reader would cite) and gives its public address in the language it matched in; the page's
snippets and highlighting are the search page's own and are not repeated here."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from search.engine import LANGS, RELEVANCE, SORTS, Record, search, time_limit_ms
from search.filters import SearchFilter
from search.models import SearchDocument, SearchKind
from sessions_app.models import Session, Speaker, Speech, Statement, Topic

from .filters import errors_of
from .pagination import MAX_PAGE_SIZE
from .views import _error, _json

DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 10_000


def _sessions(ids: Iterable[int]) -> dict[int, Session]:
    return Session.objects.published().in_bulk(list(ids))


def _speeches(ids: Iterable[int]) -> dict[int, Speech]:
    return Speech.objects.published().select_related("session").in_bulk(list(ids))


def _statements(ids: Iterable[int]) -> dict[int, Statement]:
    return Statement.objects.published().select_related("speech__session").in_bulk(list(ids))


def _topics(ids: Iterable[int]) -> dict[int, Topic]:
    return Topic.objects.published().in_bulk(list(ids))


def _speakers(ids: Iterable[int]) -> dict[int, Speaker]:
    return Speaker.objects.published().in_bulk(list(ids))


def _session_ids(se: Session) -> dict:
    return {"session": se.number}


def _speech_ids(sp: Speech) -> dict:
    return {"session": sp.session.number, "speech": sp.slug}


def _statement_ids(st: Statement) -> dict:
    return {"session": st.speech.session.number, "speech": st.speech.slug, "statement": st.key}


def _slug_ids(name: str) -> Callable[[object], dict]:
    return lambda obj: {name: obj.slug}


# Each kind: how its page's records are read (one query, through the published querysets, so a
# record that stopped being public is left out), what names it, and its title.
KINDS: dict[str, tuple[Callable, Callable, str]] = {
    SearchKind.SESSION: (_sessions, _session_ids, "title"),
    SearchKind.SPEECH: (_speeches, _speech_ids, "title"),
    SearchKind.STATEMENT: (_statements, _statement_ids, "text"),
    SearchKind.TOPIC: (_topics, _slug_ids("topic"), "name"),
    SearchKind.SPEAKER: (_speakers, _slug_ids("speaker"), "name"),
}


def _whole(request: HttpRequest, name: str, default: int, low: int, high: int):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        return None
    return int(raw)


def _result(request: HttpRequest, record: Record, obj) -> dict:
    _, ids, title_field = KINDS[record.kind]
    with translation.override(record.lang):
        url = request.build_absolute_uri(obj.get_absolute_url())
        title = getattr(obj, f"{title_field}_{record.lang}", None) or ""
    return {
        "kind": record.kind,
        **ids(obj),
        "language": record.lang,
        "score": round(record.score, 6),
        "terms": list(record.terms),
        "title": title,
        "url": url,
    }


@require_GET
def search_records(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")
    if not query.strip():
        return _error("q is required: the words to search for, in the search page's syntax")
    lang = request.GET.get("lang", "all")
    if lang not in (*LANGS, "all"):
        return _error(f"lang must be one of {', '.join(LANGS)} or all")
    sort = request.GET.get("sort", RELEVANCE)
    if sort not in SORTS:
        return _error(f"sort must be one of {', '.join(SORTS)}")
    page = _whole(request, "page", 1, 1, MAX_PAGE)
    size = _whole(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if page is None or size is None:
        return _error(
            f"page must be a whole number from 1 to {MAX_PAGE} and page_size from 1 to "
            f"{MAX_PAGE_SIZE}"
        )
    filterset = SearchFilter(request.GET, queryset=SearchDocument.objects.all(), request=request)
    restrict = filterset.restriction()
    if filterset.form.errors:
        return _error("some filters were not understood", errors=errors_of(filterset))
    results = search(
        query,
        languages=LANGS if lang == "all" else (lang,),
        restrict=restrict,
        sort=sort,
        page=page,
        page_size=size,
        suggest=False,
    )
    if results.timed_out:
        return _error(
            f"the search took longer than {time_limit_ms()} ms and was stopped: narrow it with "
            "filters or more specific words",
            status=503,
        )
    if results.total and page > results.num_pages:
        return _error(f"page {page} does not exist", status=404)
    wanted: dict[str, set[int]] = {}
    for record in results.records:
        wanted.setdefault(record.kind, set()).add(record.object_id)
    objects = {kind: KINDS[kind][0](ids) for kind, ids in wanted.items()}

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return _json(
        {
            "query": results.query.text,
            "languages": list(results.languages),
            "count": results.total,
            "page": results.page,
            "pages": results.num_pages,
            "next": link(page + 1) if page < results.num_pages else None,
            "previous": link(page - 1) if page > 1 and results.total else None,
            "results": [
                _result(request, record, objects[record.kind][record.object_id])
                for record in results.records
                if record.object_id in objects.get(record.kind, {})
            ],
        }
    )
