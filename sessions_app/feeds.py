"""Feeds for readers who follow the archive: new speeches, and new statements on a topic. Each
feed is in the language of its address (/kk/feeds/…, /ru/feeds/…, /en/feeds/…)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .languages import Texts, in_language
from .models import Speech, Statement, Topic

FEED_SIZE = 30


def _text(obj, field: str) -> str:
    """The field in the feed's language, or in the first language it falls back to."""
    return in_language(Texts(obj, field), get_language())[0]


class LatestSpeechesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Assembly of the People of Kazakhstan: new speeches")

    def subtitle(self):
        return _("Speeches published in the archive of the Assembly of the People of Kazakhstan.")

    def link(self):
        return reverse("sessions_app:session-list")

    def items(self):
        return (
            Speech.objects.published()
            .select_related("speaker", "session")
            .order_by("-delivered_on", "-session__number", "order")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _text(item, "title")

    def item_description(self, item):
        return _text(item, "lead")

    def item_author_name(self, item):
        return _text(item.speaker, "name")

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_link(self, item):
        return item.get_absolute_url()


class TopicStatementsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.published(), slug=slug)

    def title(self, obj):
        return _("%(topic)s: statements at the Assembly") % {"topic": _text(obj, "name")}

    def subtitle(self, obj):
        return _text(obj, "description") or _(
            "Statements on this topic across the Assembly's sessions."
        )

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            Statement.objects.published()
            .filter(topic=obj)
            .select_related("speech", "speech__session", "speech__speaker")
            .order_by("-speech__session__date", "-speech__session__number", "order")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("Session %(number)s: %(speech)s") % {
            "number": item.speech.session.number,
            "speech": _text(item.speech, "title"),
        }

    def item_description(self, item):
        return _text(item, "text")

    def item_author_name(self, item):
        return _text(item.speech.speaker, "name")

    def item_pubdate(self, item):
        return item.updated_at

    def item_link(self, item):
        return item.get_absolute_url()
