from django.urls import path

from . import feeds, views

app_name = "sessions_app"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sessions/", views.SessionListView.as_view(), name="session-list"),
    path("sessions/<int:number>/", views.SessionDetailView.as_view(), name="session-detail"),
    path(
        "sessions/<int:number>/<slug:slug>/",
        views.SpeechDetailView.as_view(),
        name="speech-detail",
    ),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("speakers/", views.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("feeds/speeches/", feeds.LatestSpeechesFeed(), name="feed-speeches"),
    path("feeds/topics/<slug:slug>/", feeds.TopicStatementsFeed(), name="feed-topic"),
]
