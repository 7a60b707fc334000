from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Assembly archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every change to the content makes the cached pages out of date (sessions_app/cache.py).
        from . import cache

        cache.connect()
