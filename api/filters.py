import django_filters

from sessions_app.models import Session, Speaker, Statement, Topic


class StatementFilter(django_filters.FilterSet):
    """Filters of the open-data statement list: the same names as the public archive's."""

    session = django_filters.NumberFilter(field_name="speech__session__number", min_value=1)
    year = django_filters.NumberFilter(
        field_name="speech__session__date", lookup_expr="year", min_value=1990, max_value=2100
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.published(), to_field_name="slug", field_name="topic"
    )
    speaker = django_filters.ModelChoiceFilter(
        queryset=Speaker.objects.published(),
        to_field_name="slug",
        field_name="speech__speaker",
    )

    class Meta:
        model = Statement
        fields = ["session", "year", "topic", "speaker"]


class SessionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Session
        fields = ["year", "format"]


def errors_of(filterset: django_filters.FilterSet) -> dict[str, list[str]]:
    return {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
