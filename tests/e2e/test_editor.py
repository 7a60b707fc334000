"""An editor adds a session in three languages, previews the draft and publishes it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from sessions_app.models import Status

from .admin_forms import choose, fill_translation, run_action, set_today
from .support import LANGS, log_in, screenshot

pytestmark = pytest.mark.e2e

SESSION = {
    "number": "34",
    "title": {
        "kk": "Су ресурстары және өңірлердің тұрақты дамуы",
        "ru": "Водные ресурсы и устойчивое развитие регионов",
        "en": "Water resources and the sustainable development of the regions",
    },
}
SPEECH = {
    "slug": "water-resources-address",
    "title": {
        "kk": "Су қауіпсіздігі туралы баяндама",
        "ru": "Доклад о водной безопасности",
        "en": "Address on water security",
    },
    "lead": {
        "kk": "Ассамблея су қауіпсіздігін талқылады.",
        "ru": "Ассамблея обсудила водную безопасность.",
        "en": "The Assembly discussed water security.",
    },
}
# Each statement has a word to search for in each language: names that no other text uses.
STATEMENTS = [
    {
        "key": "irtysh-reservoirs",
        "topic": "flood-prevention",
        "text": {
            "kk": "Ертіс бассейнінде 2027 жылға дейін он екі жаңа су қоймасы салынады.",
            "ru": "В бассейне реки Иртыш до 2027 года построят двенадцать новых водохранилищ.",
            "en": "Twelve new reservoirs will be built in the Irtysh basin by 2027.",
        },
        "search": {"kk": "Ертіс", "ru": "Иртыш", "en": "Irtysh"},
    },
    {
        "key": "volunteer-network",
        "topic": "assembly",
        "text": {
            "kk": "Ассамблеяның еріктілер желісі әр ауданда жұмыс істейді.",
            "ru": "Сеть волонтёров Ассамблеи работает в каждом районе.",
            "en": "The Assembly's volunteer network works in every district.",
        },
    },
]


def speech_path(lang: str) -> str:
    return f"/{lang}/sessions/{SESSION['number']}/{SPEECH['slug']}/"


def add_session(page, lang: str) -> None:
    page.goto(f"/{lang}/admin/sessions_app/session/add/")
    page.locator("input[name=number]").fill(SESSION["number"])
    set_today(page, "date")
    expect(page.locator("select[name=status]")).to_have_value(Status.DRAFT)
    page.locator("select[name=format]").select_option("hybrid")
    for code in LANGS:
        fill_translation(page, f"title_{code}", SESSION["title"][code])
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def add_speech(page, lang: str) -> None:
    page.goto(f"/{lang}/admin/sessions_app/speech/add/")
    choose(page, "session", SESSION["number"])
    choose(page, "speaker", "tokayev")
    page.locator("input[name=slug]").fill(SPEECH["slug"])
    set_today(page, "delivered_on")
    page.locator("select[name=original_language]").select_option("kk")
    for code in LANGS:
        fill_translation(page, f"title_{code}", SPEECH["title"][code])
        fill_translation(page, f"lead_{code}", SPEECH["lead"][code])
    for row, statement in enumerate(STATEMENTS):
        prefix = f"statements-{row}"
        if not page.locator(f"[name='{prefix}-order']").count():
            page.locator("#statements-group .add-row a").click()
        page.locator(f"[name='{prefix}-order']").fill(str(row + 1))
        choose(page, f"{prefix}-topic", statement["topic"])
        for code in LANGS:
            fill_translation(page, f"{prefix}-text_{code}", statement["text"][code])
        page.locator(f"[name='{prefix}-key']").fill(statement["key"])
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("select[name=status]")).to_have_value(Status.DRAFT)


@pytest.mark.parametrize("lang", LANGS)
def test_editor_publishes_a_session_readers_then_find(archive, editor_user, new_context, lang):
    editor = new_context(lang=lang).new_page()
    log_in(editor, lang=lang)
    add_session(editor, lang)
    add_speech(editor, lang)
    screenshot(editor, "editor-speech-form", lang)

    # The draft is not public...
    reader = new_context(lang=lang).new_page()
    assert reader.goto(speech_path(lang)).status == 404

    # ...but the editor previews it from the admin, marked as a draft.
    editor.locator("a.viewsitelink").first.click()
    editor.wait_for_url(f"**{speech_path(lang)}")
    main = editor.locator("main")
    expect(main).to_contain_text(STATEMENTS[0]["text"][lang])
    with translation.override(lang):
        draft = str(Status.DRAFT.label)
    expect(editor.locator("body")).to_contain_text(re.compile(re.escape(draft), re.I))
    screenshot(editor, "editor-preview", lang)

    run_action(editor, f"/{lang}/admin/sessions_app/session/", SESSION["title"][lang], "publish")
    run_action(editor, f"/{lang}/admin/sessions_app/speech/", SPEECH["title"][lang], "publish")

    # Now a reader finds it in the archive, in every language...
    reader.goto(f"/{lang}/sessions/")
    reader.locator(f"main a[href='/{lang}/sessions/{SESSION['number']}/']").first.click()
    expect(reader.locator("h1")).to_contain_text(SESSION["title"][lang])
    reader.locator(f"main a[href='{speech_path(lang)}']").first.click()
    expect(reader.locator("h1")).to_contain_text(SPEECH["title"][lang])
    for statement in STATEMENTS:
        expect(reader.locator(f"#s-{statement['key']}")).to_contain_text(statement["text"][lang])
    screenshot(reader, "editor-published", lang)
    for code in LANGS:
        reader.goto(speech_path(code))
        expect(reader.locator(f"#s-{STATEMENTS[0]['key']}")).to_contain_text(
            STATEMENTS[0]["text"][code]
        )

    # ...and in search, which leads to the statement itself.
    word = STATEMENTS[0]["search"][lang]
    reader.goto(f"/{lang}/search/?q={word}")
    hit = reader.locator(f"main a[href*='{speech_path(lang)}']").first
    expect(hit).to_be_visible()
    hit.click()
    expect(reader.locator(f"#s-{STATEMENTS[0]['key']}")).to_be_in_viewport()
    assert not reader.context.traffic.page_errors
