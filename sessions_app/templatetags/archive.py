"""Template tags of the public archive: translated texts with their language, figures, rich text.

`{% translated obj "title" as title %}` gives the text in the page's language or, when it has none,
in the first fallback language that has it (`sessions_app.languages.in_language`), together with
the language it is actually in. `{{ title }}` renders it inline, marked when it is a fallback;
`{{ title.text }}` is the bare text (for <title> and attributes). It only reads columns that are
already loaded: it never queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..languages import Texts, in_language
from ..models import sanitise_rich_text

register = template.Library()

# One phrase per language rather than a sentence with a language name in it: Kazakh and Russian
# inflect the name ("орыс тілінде", "на русском").
IN_LANGUAGE = {"kk": _("in Kazakh"), "ru": _("in Russian"), "en": _("in English")}
FALLBACK_NOTE = {
    "kk": _("Not yet translated into this language. Shown in Kazakh."),
    "ru": _("Not yet translated into this language. Shown in Russian."),
    "en": _("Not yet translated into this language. Shown in English."),
}
DELIVERED_IN = {
    "kk": _("Delivered in Kazakh."),
    "ru": _("Delivered in Russian."),
    "en": _("Delivered in English."),
}
TRANSLATED_FROM = {
    "kk": _("The text on this page is a translation from Kazakh."),
    "ru": _("The text on this page is a translation from Russian."),
    "en": _("The text on this page is a translation from English."),
}


@dataclass(frozen=True)
class Translated:
    """A text and the language it is in ("" when no language has it)."""

    text: str
    lang: str
    page_lang: str

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.lang != self.page_lang

    @property
    def lang_attr(self) -> str:
        """` lang="ru"` for an element holding fallback text, nothing otherwise."""
        return format_html(' lang="{}"', self.lang) if self.is_fallback else ""

    @property
    def mark(self) -> str:
        return IN_LANGUAGE.get(self.lang, self.lang) if self.is_fallback else ""

    @property
    def note(self) -> str:
        return FALLBACK_NOTE.get(self.lang, "") if self.is_fallback else ""

    def __html__(self) -> SafeString:
        return self.__str__()

    def __str__(self) -> SafeString:
        if not self.is_fallback:
            return conditional_escape(self.text)
        return format_html(
            '<span lang="{}">{}</span> <span class="fallback-mark">({})</span>',
            self.lang,
            self.text,
            self.mark,
        )


def translate_field(obj, field: str, *, lang: str | None = None, fallback: bool = True):
    """The text of `obj.<field>` in `lang` (default: the page's), or in a fallback language."""
    page_lang = lang or get_language() or settings.LANGUAGE_CODE
    text, code = in_language(Texts(obj, field), page_lang, fallback=fallback)
    return Translated(text=text, lang=code, page_lang=page_lang)


@register.simple_tag
def translated(obj, field: str, lang: str | None = None, fallback: bool = True) -> Translated:
    return translate_field(obj, field, lang=lang, fallback=fallback)


@register.filter
def figure_value(value) -> str:
    """119000.0000 → "119 000" (kk, ru) or "119,000" (en); 2.5 → "2,5" or "2.5"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def number(value) -> str:
    """A whole number with the page language's thousand separator (counts, not years)."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.simple_tag
def delivery_note(speech) -> str:
    """Where the speech was delivered in, and whether this page is a translation of it."""
    original = speech.original_language
    if not original:
        return _("Language of delivery not recorded.")
    note = str(DELIVERED_IN.get(original, ""))
    if original != get_language():
        note = f"{note} {TRANSLATED_FROM.get(original, '')}"
    return note


@register.filter
def rich_text(text: str) -> str:
    """A speech's full text: simple HTML (sanitised again, in case it was stored before the
    sanitiser existed) or plain paragraphs separated by blank lines."""
    if not text:
        return ""
    if "<" in text:
        return mark_safe(sanitise_rich_text(text))  # only the model's few harmless tags remain
    return mark_safe(linebreaks(text, autoescape=True))  # escaped by linebreaks itself


@register.simple_tag(takes_context=True)
def absolute_url(context, obj) -> str:
    """The full address of an object's page (a permalink a reader can copy or print)."""
    url = obj.get_absolute_url()
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
