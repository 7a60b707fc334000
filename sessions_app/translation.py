from modeltranslation.translator import TranslationOptions, register

from .models import Figure, Session, Speaker, Speech, Statement, Topic


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("name", "position")
    required_languages = ()


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ()


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "venue", "summary", "participants")
    required_languages = ()


@register(Speech)
class SpeechTranslation(TranslationOptions):
    fields = ("title", "lead", "text")
    required_languages = ()


@register(Statement)
class StatementTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ()


@register(Figure)
class FigureTranslation(TranslationOptions):
    fields = ("unit", "label")
    required_languages = ()
