"""Factories that fill every language unless a test says otherwise."""

import datetime as dt

import factory

from sessions_app.models import (
    Figure,
    Session,
    SessionFormat,
    Speaker,
    Speech,
    Statement,
    Status,
    Topic,
)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"speaker-{n}")
    name_kk = factory.Sequence(lambda n: f"Баяндамашы {n}")
    name_ru = factory.Sequence(lambda n: f"Докладчик {n}")
    name_en = factory.Sequence(lambda n: f"Speaker {n}")
    position_kk = "Депутат"
    position_ru = "Депутат"
    position_en = "Deputy"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_kk = factory.Sequence(lambda n: f"Тақырып {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    number = factory.Sequence(lambda n: n + 1)
    date = factory.Sequence(lambda n: dt.date(2000, 1, 1) + dt.timedelta(days=40 * n))
    title_kk = factory.Sequence(lambda n: f"Сессия тақырыбы {n}")
    title_ru = factory.Sequence(lambda n: f"Тема сессии {n}")
    title_en = factory.Sequence(lambda n: f"Session theme {n}")
    format = SessionFormat.IN_PERSON
    chair = factory.SubFactory(SpeakerFactory)
    status = Status.PUBLISHED


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speech

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    slug = factory.Sequence(lambda n: f"speech-{n}")
    title_kk = factory.Sequence(lambda n: f"Сөз {n}")
    title_ru = factory.Sequence(lambda n: f"Выступление {n}")
    title_en = factory.Sequence(lambda n: f"Speech {n}")
    delivered_on = factory.SelfAttribute("session.date")
    order = factory.Sequence(lambda n: n + 1)
    status = Status.PUBLISHED


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    speech = factory.SubFactory(SpeechFactory)
    topic = factory.SubFactory(TopicFactory)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"st-{n}")
    text_kk = factory.Sequence(lambda n: f"Мәлімдеме мәтіні {n}")
    text_ru = factory.Sequence(lambda n: f"Текст заявления {n}")
    text_en = factory.Sequence(lambda n: f"Statement text {n}")


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    statement = factory.SubFactory(StatementFactory)
    order = 1
    value = "119000"
    unit_kk = "адам"
    unit_ru = "человек"
    unit_en = "people"
    label_en = "people evacuated"
