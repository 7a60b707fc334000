"""Public pages. (Minimal placeholders until the public archive is built.)"""

from django.http import HttpResponse
from django.views import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        return HttpResponse("")


HomeView = SessionListView = SessionDetailView = SpeechDetailView = _Placeholder
TopicListView = TopicDetailView = SpeakerListView = SpeakerDetailView = _Placeholder
