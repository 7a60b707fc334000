from django.urls import path

from . import search, views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:number>/", views.session_detail, name="session-detail"),
    path("statements/", views.statement_list, name="statement-list"),
    path("statements.csv", views.statements_csv, name="statements-csv"),
    path("archive.json", views.archive, name="archive"),
    path("search/", search.search_records, name="search"),
]
