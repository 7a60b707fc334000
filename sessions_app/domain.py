"""What the archive's records mean together, shared by the pages and the export: a speech's
sections and a session's key figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import Figure, Session, Statement, Topic

KEY_FIGURES = 6


@dataclass
class Section:
    """A run of consecutive statements on one topic: the speech's structure under headings."""

    topic: Topic
    statements: list[Statement] = field(default_factory=list)


def sections_of(statements: Iterable[Statement]) -> list[Section]:
    """Consecutive statements on the same topic form a section, in the statements' order (give
    them in the speech's order, with their topic loaded)."""
    sections: list[Section] = []
    for statement in statements:
        if not sections or sections[-1].topic.pk != statement.topic_id:
            sections.append(Section(topic=statement.topic))
        sections[-1].statements.append(statement)
    return sections


def key_figures(
    session: Session, statements: QuerySet[Statement], *, limit: int = KEY_FIGURES
) -> list[Figure]:
    """The first figures of the session's speeches among `statements` (those the reader can
    see), in the speeches' order."""
    return list(
        Figure.objects.filter(statement__in=statements.filter(speech__session=session))
        .select_related("statement__speech__session")
        .order_by("statement__speech__order", "statement__order", "order", "pk")[:limit]
    )
