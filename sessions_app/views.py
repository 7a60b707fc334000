"""The public archive. Every page reads through the querysets' `published()` / `visible_to(user)`,
so drafts are a 404 for the public and a marked preview for staff, and runs a fixed number of
queries whatever the archive's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView, TemplateView

from .domain import key_figures, sections_of
from .filters import SessionFilter
from .languages import LANGS, NATIVE_NAMES
from .models import Session, Speaker, Speech, Statement, Topic
from .querysets import can_preview
from .templatetags.archive import translate_field

TIMELINE_PAGE_SIZE = 50


@dataclass
class Crumb:
    label: Any  # text, or a translated text that renders with its language mark
    url: str = ""


class ArchivePage:
    """What every public page shares: staff previews are never stored by a shared cache, and
    every response varies on the session cookie (that is, on the user)."""

    request: HttpRequest

    @cached_property
    def is_staff(self) -> bool:
        return can_preview(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])
        if can_preview(request.user):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def breadcrumbs(self) -> list[Crumb]:
        return []

    def notices(self) -> list[str]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        crumbs = self.breadcrumbs()
        if crumbs:
            crumbs = [Crumb(_("Home"), _url("home")), *crumbs]
        context["breadcrumbs"] = crumbs
        context["notices"] = [*context.get("notices", []), *self.notices()]
        return context


def _url(name: str, **kwargs) -> str:
    return reverse(f"sessions_app:{name}", kwargs=kwargs or None)


@dataclass
class Paged:
    page: Page
    notices: list[str]
    out_of_range: bool  # the caller answers 404, with the notice saying why


def paginate(request: HttpRequest, queryset, per_page: int) -> Paged:
    """The requested page of a list. A page number that is not a number, or below 1, gives the
    first page and a notice; one past the end gives a notice and a 404."""
    raw = request.GET.get("page") or "1"
    notices: list[str] = []
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        notices.append(
            _("The page number “%(value)s” was not understood; showing the first page.")
            % {"value": raw}
        )
        number = 1
    paginator = Paginator(queryset, per_page)
    if number > paginator.num_pages:
        notices.append(
            ngettext(
                "There is no page %(number)s: this list has only %(count)s page.",
                "There is no page %(number)s: this list has only %(count)s pages.",
                paginator.num_pages,
            )
            % {"number": number, "count": paginator.num_pages}
        )
        return Paged(Page([], number, paginator), notices, True)
    return Paged(paginator.page(number), notices, False)


# --- home ---------------------------------------------------------------------------------------


class HomeView(ArchivePage, TemplateView):
    template_name = "sessions_app/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = (
            Session.objects.published()
            .with_chair()
            .with_published_speeches()
            .newest_first()
            .first()
        )
        context["latest"] = latest
        context["key_figures"] = (
            key_figures(latest, Statement.objects.published()) if latest else []
        )
        context["topics"] = (
            Topic.objects.published().with_statement_counts().order_by("-statement_count", "slug")
        )
        context["recent_sessions"] = (
            Session.objects.published().with_counts().newest_first()[1:6] if latest else []
        )
        return context


# --- sessions -----------------------------------------------------------------------------------


class SessionListView(ArchivePage, ListView):
    template_name = "sessions_app/session_list.html"
    context_object_name = "sessions"

    def get(self, request, *args, **kwargs):
        self.filterset = SessionFilter(
            request.GET or None,
            queryset=Session.objects.visible_to(request.user).with_counts().newest_first(),
            request=request,
        )
        self.object_list = self.filterset.qs
        self.paged = paginate(request, self.object_list, settings.APK_PAGE_SIZE)
        context = self.get_context_data()
        return self.render_to_response(context, status=404 if self.paged.out_of_range else 200)

    def breadcrumbs(self):
        return [Crumb(_("Sessions"))]

    def notices(self):
        messages = {
            "year": _("The year “%(value)s” was not understood, so it was not applied."),
            "topic": _("There is no topic “%(value)s”, so it was not applied."),
            "speaker": _("There is no speaker “%(value)s”, so it was not applied."),
            "format": _("The format “%(value)s” was not understood, so it was not applied."),
        }
        return [
            messages[name] % {"value": value}
            for name, value in self.filterset.not_understood()
            if name in messages
        ] + self.paged.notices

    def get_context_data(self, **kwargs):
        page = self.paged.page
        context = super().get_context_data(
            object_list=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.paginator.num_pages > 1,
            **kwargs,
        )
        context["out_of_range"] = self.paged.out_of_range
        context["filterset"] = self.filterset
        context["active_filters"] = self.filterset.active_filters()
        context["facets"] = self.filterset.facets()
        return context


class SessionDetailView(ArchivePage, DetailView):
    template_name = "sessions_app/session_detail.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Session.objects.visible_to(self.request.user).with_chair(),
            number=self.kwargs["number"],
        )

    def breadcrumbs(self):
        return [
            Crumb(_("Sessions"), _url("session-list")),
            Crumb(self.object),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        statements = Statement.objects.visible_to(user).filter(speech__session=session)
        context["speeches"] = list(
            Speech.objects.visible_to(user)
            .filter(session=session)
            .select_related("speaker")
            .order_by("order", "pk")
        )
        context["topics"] = (
            Topic.objects.with_counts_among(context["speeches"])
            .filter(n__gt=0)
            .order_by("-n", "slug")
        )
        context["key_figures"] = key_figures(session, statements)
        context["is_preview"] = not session.is_published
        return context


# --- speeches -----------------------------------------------------------------------------------


class SpeechDetailView(ArchivePage, DetailView):
    template_name = "sessions_app/speech_detail.html"
    context_object_name = "speech"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Speech.objects.visible_to(self.request.user).with_people(),
            session__number=self.kwargs["number"],
            slug=self.kwargs["slug"],
        )

    @cached_property
    def view_mode(self) -> str:
        return "parallel" if self.request.GET.get("view") == "parallel" else "reading"

    def get_template_names(self):
        if self.view_mode == "parallel":
            return ["sessions_app/speech_parallel.html"]
        return [self.template_name]

    def breadcrumbs(self):
        speech = self.object
        crumbs = [
            Crumb(_("Sessions"), _url("session-list")),
            Crumb(speech.session, speech.session.get_absolute_url()),
        ]
        if self.view_mode == "parallel":
            crumbs += [
                Crumb(translate_field(speech, "title"), speech.get_absolute_url()),
                Crumb(_("Parallel view")),
            ]
        else:
            crumbs.append(Crumb(translate_field(speech, "title")))
        return crumbs

    def notices(self):
        view = self.request.GET.get("view")
        if view and view != "parallel":
            return [_("The view “%(value)s” is not known; showing the speech.") % {"value": view}]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        speech = self.object
        statements = list(
            speech.statements.select_related("topic")
            .prefetch_related("figures")
            .order_by("order", "pk")
        )
        context["sections"] = sections_of(statements)
        context["other_speeches"] = list(
            Speech.objects.visible_to(self.request.user)
            .filter(session=speech.session)
            .exclude(pk=speech.pk)
            .select_related("speaker")
            .order_by("order", "pk")
        )
        context["is_preview"] = not speech.is_public
        context["parallel_languages"] = [(code, NATIVE_NAMES[code]) for code in LANGS]
        return context


# --- topics -------------------------------------------------------------------------------------


class TopicListView(ArchivePage, ListView):
    template_name = "sessions_app/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return (
            Topic.objects.published().with_statement_counts().order_by("-statement_count", "slug")
        )

    def breadcrumbs(self):
        return [Crumb(_("Topics"))]


@dataclass
class TimelineSession:
    session: Session
    speeches: list[tuple[Speech, list[Statement]]] = field(default_factory=list)


class TopicDetailView(ArchivePage, DetailView):
    """A topic's timeline: every statement on it, newest session first."""

    template_name = "sessions_app/topic_detail.html"
    context_object_name = "topic"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Topic.objects.visible_to(self.request.user), slug=self.kwargs["slug"]
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        statements = (
            Statement.objects.visible_to(request.user)
            .filter(topic=self.object)
            .with_context()
            .with_figures()
            .order_by(
                "-speech__session__date",
                "-speech__session__number",
                "speech__order",
                "speech__pk",
                "order",
                "pk",
            )
        )
        self.paged = paginate(request, statements, TIMELINE_PAGE_SIZE)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context, status=404 if self.paged.out_of_range else 200)

    def breadcrumbs(self):
        return [Crumb(_("Topics"), _url("topic-list")), Crumb(translate_field(self.object, "name"))]

    def notices(self):
        return self.paged.notices

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        timeline: list[TimelineSession] = []
        for statement in self.paged.page.object_list:
            speech = statement.speech
            if not timeline or timeline[-1].session.pk != speech.session_id:
                timeline.append(TimelineSession(session=speech.session))
            speeches = timeline[-1].speeches
            if not speeches or speeches[-1][0].pk != speech.pk:
                speeches.append((speech, []))
            speeches[-1][1].append(statement)
        context["timeline"] = timeline
        context["page_obj"] = self.paged.page
        context["is_paginated"] = self.paged.page.paginator.num_pages > 1
        context["out_of_range"] = self.paged.out_of_range
        return context


# --- speakers -----------------------------------------------------------------------------------


class SpeakerListView(ArchivePage, ListView):
    template_name = "sessions_app/speaker_list.html"
    context_object_name = "speakers"

    def get_queryset(self):
        return Speaker.objects.published().with_speech_counts().order_by("-speech_count", "slug")

    def breadcrumbs(self):
        return [Crumb(_("Speakers"))]


class SpeakerDetailView(ArchivePage, DetailView):
    template_name = "sessions_app/speaker_detail.html"
    context_object_name = "speaker"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Speaker.objects.visible_to(self.request.user), slug=self.kwargs["slug"]
        )

    def breadcrumbs(self):
        return [
            Crumb(_("Speakers"), _url("speaker-list")),
            Crumb(translate_field(self.object, "name")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["speeches"] = list(
            Speech.objects.visible_to(user)
            .filter(speaker=self.object)
            .select_related("session")
            .order_by("-session__date", "-session__number", "order")
        )
        context["chaired_sessions"] = list(
            Session.objects.visible_to(user).filter(chair=self.object).newest_first()
        )
        return context


# --- errors -------------------------------------------------------------------------------------


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 page in the reader's language. It must not touch the database, which may be
    the reason for the error; if even this fails, a bare page is better than none."""
    try:
        return render(request, template_name, status=500)
    except Exception:
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html")
