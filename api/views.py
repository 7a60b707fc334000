"""Open data for researchers and journalists: read-only JSON and CSV of what is published.

Every response comes from the published querysets, so drafts never appear here. Texts are given
in all three languages at once, as maps of language code to text (missing languages left out)."""

from __future__ import annotations

import csv
import logging
import os

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from sessions_app.archive import export_archive, figure_data, number_text, texts_of
from sessions_app.languages import LANGS
from sessions_app.models import Session, Statement

from .archive_file import RETRY_AFTER as ARCHIVE_RETRY_AFTER
from .archive_file import ArchiveBusy, ArchiveUnavailable, current_archive
from .filters import SessionFilter, StatementFilter, errors_of
from .pagination import (
    MAX_DEPTH,
    Keyset,
    PageError,
    link,
    numbered_page,
    page_meta,
    page_size,
)

logger = logging.getLogger(__name__)

# The largest whole number SQLite and PostgreSQL can compare with a column (a signed 64-bit one).
MAX_NUMBER = 2**63 - 1
# Statements read from the database at a time while the CSV file is sent.
CSV_CHUNK = 500


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int = 400, **details) -> JsonResponse:
    return _json({"error": message, **details}, status=status)


def _urls(request: HttpRequest, path_of) -> dict[str, str]:
    urls = {}
    for code in LANGS:
        with translation.override(code):
            urls[code] = request.build_absolute_uri(path_of())
    return urls


@require_GET
def index(request: HttpRequest) -> JsonResponse:
    return _json(
        {
            "format": "apk-archive/1",
            "endpoints": {
                "sessions": request.build_absolute_uri(reverse("api:session-list")),
                "statements": request.build_absolute_uri(reverse("api:statement-list")),
                "archive": request.build_absolute_uri(reverse("api:archive")),
                "statements_csv": request.build_absolute_uri(reverse("api:statements-csv")),
                "search": request.build_absolute_uri(reverse("api:search")),
            },
            "filters": {
                "sessions": ["year", "format", "page", "page_size"],
                "statements": [
                    "session",
                    "year",
                    "topic",
                    "speaker",
                    "page",
                    "page_size",
                    "cursor",
                ],
                "search": [
                    "q",
                    "lang",
                    "sort",
                    "session",
                    "year",
                    "date_after",
                    "date_before",
                    "topic",
                    "speaker",
                    "page",
                    "page_size",
                ],
            },
        }
    )


@require_GET
def session_list(request: HttpRequest) -> JsonResponse:
    queryset = Session.objects.published().with_counts().newest_first()
    filterset = SessionFilter(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return _error("some filters were not understood", errors=errors_of(filterset))
    try:
        page = numbered_page(request, filterset.qs, further="narrow the list with year or format")
    except PageError as error:
        return _error(error.message, status=error.status)
    return _json(
        {
            **page_meta(request, page),
            "results": [
                {
                    "number": se.number,
                    "date": se.date.isoformat(),
                    "format": se.format,
                    "title": texts_of(se, "title"),
                    "speeches": se.speech_count,
                    "urls": _urls(request, se.get_absolute_url),
                    "api": request.build_absolute_uri(
                        reverse("api:session-detail", args=[se.number])
                    ),
                }
                for se in page.object_list
            ],
        }
    )


@require_GET
def session_detail(request: HttpRequest, number: int) -> JsonResponse:
    if number > MAX_NUMBER:  # no database can even compare it: there is no such session
        return _error(f"no published session {number}", status=404)
    data = export_archive(include_drafts=False, numbers=[number])
    if not data["sessions"]:
        return _error(f"no published session {number}", status=404)
    return _json(data)


# The statements' order, newest session first; the pk makes each position unique, which the
# cursor needs.
STATEMENT_ORDER = Keyset(
    [
        ("speech__session__date", True),
        ("speech__session__number", False),
        ("speech__order", False),
        ("order", False),
        ("pk", False),
    ]
)


def _statements(request: HttpRequest):
    queryset = (
        Statement.objects.published()
        .select_related("topic", "speech__speaker", "speech__session")
        .prefetch_related("figures")
        .order_by(*STATEMENT_ORDER.ordering())
    )
    return StatementFilter(request.GET, queryset=queryset)


def _statement_data(request: HttpRequest, st: Statement) -> dict:
    return {
        "id": st.key,
        "session": st.speech.session.number,
        "date": st.speech.delivered_on.isoformat(),
        "speech": st.speech.slug,
        "speaker": st.speech.speaker.slug,
        "topic": st.topic.slug,
        "text": texts_of(st, "text"),
        "figures": [figure_data(f) for f in st.figures.all()],
        "urls": _urls(request, st.get_absolute_url),
    }


@require_GET
def statement_list(request: HttpRequest) -> JsonResponse:
    """Numbered pages for the first records; from any record on, a cursor (`next_cursor`)."""
    filterset = _statements(request)
    if not filterset.is_valid():
        return _error("some filters were not understood", errors=errors_of(filterset))
    try:
        if "cursor" in request.GET:
            return _statements_after(request, filterset.qs, request.GET["cursor"])
        page = numbered_page(
            request,
            filterset.qs,
            further="to go on, follow next_cursor (cursor=) or narrow the list with filters",
        )
    except PageError as error:
        return _error(error.message, status=error.status)
    records = list(page.object_list)
    meta = page_meta(request, page)
    next_cursor = STATEMENT_ORDER.encode(records[-1]) if page.has_next() else None
    if next_cursor and (page.number + 1) * page.paginator.per_page > MAX_DEPTH:
        meta["next"] = link(request, page=None, cursor=next_cursor)
    return _json(
        {
            **meta,
            "next_cursor": next_cursor,
            "results": [_statement_data(request, st) for st in records],
        }
    )


def _statements_after(request: HttpRequest, queryset, cursor: str) -> JsonResponse:
    if "page" in request.GET:
        raise PageError("give page or cursor, not both")
    size = page_size(request)
    if cursor:  # an empty cursor is the start of the list
        queryset = queryset.filter(STATEMENT_ORDER.after(STATEMENT_ORDER.decode(cursor)))
    records = list(queryset[: size + 1])
    more = len(records) > size
    records = records[:size]
    next_cursor = STATEMENT_ORDER.encode(records[-1]) if more else None
    return _json(
        {
            "cursor": cursor,
            "next_cursor": next_cursor,
            "next": link(request, cursor=next_cursor) if next_cursor else None,
            "results": [_statement_data(request, st) for st in records],
        }
    )


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    """The whole public archive, sent from the file made after the last change of the content
    (api/archive_file.py), with an ETag and Last-Modified for conditional requests."""
    try:
        made = current_archive()
    except (ArchiveBusy, ArchiveUnavailable) as exc:
        busy = isinstance(exc, ArchiveBusy)
        response = _error(
            "the archive file is being written; try again shortly"
            if busy
            else "the archive file cannot be made just now; try again later",
            status=503,
        )
        response["Retry-After"] = str(ARCHIVE_RETRY_AFTER)
        return response
    # Opened at once: the file of an older generation is removed a while after a newer one is
    # written, and an open file stays readable.
    file = open(made.path, "rb")  # noqa: SIM115 (FileResponse closes it)
    modified = os.fstat(file.fileno()).st_mtime
    unchanged = get_conditional_response(request, etag=made.etag, last_modified=int(modified))
    if unchanged is not None:
        file.close()
        unchanged["Access-Control-Allow-Origin"] = "*"
        return unchanged
    response = FileResponse(
        file,
        as_attachment=True,
        filename="apk-archive.json",
        content_type="application/json; charset=utf-8",
    )
    response["ETag"] = made.etag
    response["Last-Modified"] = http_date(modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=settings.APK_PUBLIC_MAX_AGE)
    return response


class _Echo:
    def write(self, value):
        return value


@require_GET
def statements_csv(request: HttpRequest) -> HttpResponse:
    """The statements as a CSV file, sent as it is written (it may be the whole archive).

    Which statements, and in what order, is read before the first byte is sent, so a database
    that cannot be reached answers the JSON error (503), not a file. If the database fails
    while the rows are sent, the error is raised out of the stream: the server then closes the
    connection without ending the chunked transfer, which every HTTP/1.1 client reports as a
    failed download. A file that arrives whole is complete."""
    filterset = _statements(request)
    if not filterset.is_valid():
        return _error("some filters were not understood", errors=errors_of(filterset))
    ids = list(filterset.qs.values_list("pk", flat=True))
    writer = csv.writer(_Echo())
    header = ["session", "date", "speech", "speaker", "topic", "statement", "order"]
    header += [f"text_{code}" for code in LANGS] + ["figures", "url"]

    def statements():
        for start in range(0, len(ids), CSV_CHUNK):
            chunk = ids[start : start + CSV_CHUNK]
            # Read through the filters again: a statement unpublished meanwhile is left out.
            found = {st.pk: st for st in filterset.qs.filter(pk__in=chunk)}
            yield from (found[pk] for pk in chunk if pk in found)

    def rows():
        yield "\ufeff" + writer.writerow(header)  # the BOM lets spreadsheets read UTF-8
        sent = 0
        try:
            for st in statements():
                figures = "; ".join(
                    f"{number_text(f.value)} {f.unit_en or ''}".strip() for f in st.figures.all()
                )
                with translation.override("en"):
                    url = request.build_absolute_uri(st.get_absolute_url())
                yield writer.writerow(
                    [
                        st.speech.session.number,
                        st.speech.delivered_on.isoformat(),
                        st.speech.slug,
                        st.speech.speaker.slug,
                        st.topic.slug,
                        st.key,
                        st.order,
                        *[getattr(st, f"text_{code}") or "" for code in LANGS],
                        figures,
                        url,
                    ]
                )
                sent += 1
        except Exception:
            logger.exception("statements.csv broke off after %d of %d rows", sent, len(ids))
            raise

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="apk-statements.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
