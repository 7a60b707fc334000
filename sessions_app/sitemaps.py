"""The sitemap lists every public page once, with its Kazakh, Russian and English versions as
hreflang alternates; drafts are never in it."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Session, Speaker, Speech, Topic


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return ["sessions_app:home", "sessions_app:session-list", "sessions_app:topic-list"]

    def location(self, item):
        return reverse(item)


class SessionSitemap(_I18nSitemap):
    def items(self):
        return Session.objects.published().order_by("number")

    def lastmod(self, obj):
        return obj.updated_at


class SpeechSitemap(_I18nSitemap):
    def items(self):
        return Speech.objects.published().select_related("session").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class TopicSitemap(_I18nSitemap):
    def items(self):
        return Topic.objects.published().order_by("slug")


class SpeakerSitemap(_I18nSitemap):
    def items(self):
        return Speaker.objects.published().order_by("slug")


SITEMAPS = {
    "pages": PagesSitemap,
    "sessions": SessionSitemap,
    "speeches": SpeechSitemap,
    "topics": TopicSitemap,
    "speakers": SpeakerSitemap,
}
