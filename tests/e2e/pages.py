"""Every public page type, as a reader reaches it with the demo content loaded."""

from __future__ import annotations

SPEECH = "/sessions/33/president-tokayev-speech/"

# name: path after the language prefix
PUBLIC_PAGES = {
    "home": "/",
    "sessions": "/sessions/",
    "sessions-filtered": "/sessions/?year=2024&topic=flood-relief",
    "session": "/sessions/33/",
    "speech": SPEECH,
    "speech-parallel": f"{SPEECH}?view=parallel",
    "topics": "/topics/",
    "topic": "/topics/flood-relief/",
    "speakers": "/speakers/",
    "speaker": "/speakers/kassym-jomart-tokayev/",
    "search": "/search/?q=flood",
    "not-found": "/sessions/999/",
}

# A word of the demo speech in each language, for searching.
SEARCH_WORDS = {"kk": "тасқын", "ru": "паводок", "en": "flood"}


def url(lang: str, page: str) -> str:
    path = PUBLIC_PAGES[page]
    if page == "search":
        path = f"/search/?q={SEARCH_WORDS[lang]}"
    return f"/{lang}{path}"
