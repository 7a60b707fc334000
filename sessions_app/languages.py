"""The archive's languages, and a text in a language or in the first language it falls back to.

Pages, feeds, the API and search all read translations through here, so a missing translation
falls back in the same order everywhere (settings.APK_FALLBACK_LANGUAGES). A plain module: no
models, no views, so any app may import it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings

LANGS: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
# Each language's name in the interface's language (lazy: "Kazakh", "Казахский", "Қазақ тілі").
LANGUAGE_NAMES: dict[str, Any] = dict(settings.LANGUAGES)
# Each language's name in itself: a reader looks for their own language's name.
NATIVE_NAMES: dict[str, str] = dict(settings.LANGUAGE_NAMES_NATIVE)


def fallback_order(lang: str) -> tuple[str, ...]:
    """`lang`, then the languages it falls back to, each once. Read at each call: the setting
    can be changed at run time (and is, in tests)."""
    fallbacks = settings.APK_FALLBACK_LANGUAGES
    order = (lang, *fallbacks.get(lang, ()), *fallbacks.get("default", ()))
    return tuple(dict.fromkeys(order))


def in_language(
    values_by_lang: Mapping[str, str | None], lang: str, *, fallback: bool = True
) -> tuple[str, str]:
    """(text, the language it is in): the text in `lang` or, when it has none (missing, empty
    or only blanks), in the first fallback language that has it; ("", "") when none has."""
    for code in fallback_order(lang) if fallback else (lang,):
        text = values_by_lang.get(code)
        if text and text.strip():
            return text, code
    return "", ""


class Texts(Mapping[str, str]):
    """A translated field's texts by language, read from a model instance (`obj.title_kk`) or a
    values() row (`row["title_kk"]`) without copying them: `in_language(Texts(obj, "title"), "en")`.
    """

    __slots__ = ("field", "source")

    def __init__(self, source: Any, field: str):
        self.source = source
        self.field = field

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        key = f"{self.field}_{lang}"
        if isinstance(self.source, Mapping):
            return self.source.get(key) or ""
        return getattr(self.source, key, None) or ""

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)
