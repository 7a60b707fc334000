"""The current page in the other languages: the language switcher, hreflang alternates and the
canonical address. Built from the URL alone, without queries, so error pages can use it too."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import Resolver404, resolve, translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language

from .languages import LANGUAGE_NAMES, NATIVE_NAMES

# The query parameters that choose what a page shows; the rest (e.g. ?view=parallel, unknown
# or misspelt ones) do not make a page of their own.
CANONICAL_PARAMS = ("year", "topic", "speaker", "format", "page")


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in the language itself: a reader looks for their own language's name
    url: str  # this page in that language, with the reader's query string
    canonical: str  # absolute, with only the parameters that make the page
    is_current: bool


def archive(request) -> dict:
    current = get_language()
    try:
        resolve(request.path_info)
    except Resolver404:
        # Not one of our pages: offer each language's home instead of a translation of it.
        return {
            "page_languages": [
                PageLanguage(
                    code=code,
                    name=NATIVE_NAMES.get(code, name),
                    url=f"/{code}/",
                    canonical=request.build_absolute_uri(f"/{code}/"),
                    is_current=code == current,
                )
                for code, name in LANGUAGE_NAMES.items()
            ],
            "canonical_url": "",
            "x_default_url": "",
        }

    query = request.GET.urlencode()
    canonical_query = urlencode(
        [
            (key, request.GET[key])
            for key in CANONICAL_PARAMS
            if request.GET.get(key) and not (key == "page" and request.GET[key] == "1")
        ]
    )
    languages = []
    for code, name in LANGUAGE_NAMES.items():
        path = translate_url(request.path, code)
        languages.append(
            PageLanguage(
                code=code,
                name=NATIVE_NAMES.get(code, name),
                url=f"{path}?{query}" if query else path,
                canonical=request.build_absolute_uri(
                    f"{path}?{canonical_query}" if canonical_query else path
                ),
                is_current=code == current,
            )
        )
    canonical = next((lang.canonical for lang in languages if lang.is_current), "")
    # Without a language prefix, the address redirects by the browser's languages (Kazakh when
    # none fits): the right target for readers whose language is not known.
    prefix = f"/{current}/"
    neutral = "/" + request.path[len(prefix) :] if request.path.startswith(prefix) else "/"
    return {
        "page_languages": languages,
        "canonical_url": canonical,
        "x_default_url": request.build_absolute_uri(
            f"{neutral}?{canonical_query}" if canonical_query else neutral
        ),
    }
