"""Settings for the APK archive, read from the environment.

Nothing has to be copied or edited before the project starts: with no environment at all it runs
as a development site on an SQLite file under var/. Production sets DJANGO_DEBUG=0 and must then
give DJANGO_SECRET_KEY, or the site refuses to start.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_tuple(name: str, default: str) -> tuple[str, ...]:
    return tuple(env_list(name, default))


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "development-only-secret-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabs and fields are in place.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",
    "sessions_app",
    "search",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so that errors from every layer below reach the API's clients as JSON.
    "api.middleware.JsonErrorsMiddleware",
    "apkportal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Once the user is known (staff are not limited), before answers come from the cache.
    "apkportal.throttle.ApiThrottleMiddleware",
    # After the user and the language are known: anonymous readers' pages from the cache.
    "apkportal.cache.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apkportal.urls"
WSGI_APPLICATION = "apkportal.wsgi.application"
ASGI_APPLICATION = "apkportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sessions_app.context_processors.archive",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("APK_VAR_DIR", BASE_DIR / "var"))
if not os.environ.get("DATABASE_URL"):
    # The embedded database lives in var/ (not in the repository): a fresh clone has none yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'apk.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("DJANGO_TEST_DATABASE_NAME"):
    # Lets two test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DATABASE_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server and an editor's import may write at once: wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})
    # Each connection reads the database through a memory map (no system call per page read),
    # and a connection is kept between requests: opening one (the schema, the full-text index's
    # structure) cost more than a whole search for a rare word.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA mmap_size={int(os.environ.get('APK_SQLITE_MMAP_MB', '1024')) * 2**20};"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "apk",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous readers' pages and API answers are cached (apkportal/cache.py) for this many seconds
# at most: any change to the content makes them out of date at once, so this only bounds how
# long an unread page takes room. 0 turns the cache of pages off. With local memory (no
# CACHE_URL) each worker process keeps its own pages and its own content generation: an edit
# reaches the other workers' pages only when they expire, so production sets CACHE_URL.
APK_PAGE_CACHE_SECONDS = int(
    os.environ.get("APK_PAGE_CACHE_SECONDS", "600" if CACHE_URL.startswith("redis") else "60")
)
# How long a browser or a proxy may keep a public page without asking again (then it asks with
# its ETag and gets a 304 while the page is unchanged).
APK_PUBLIC_MAX_AGE = int(os.environ.get("APK_PUBLIC_MAX_AGE", "60"))
# Larger answers are not cached (the whole archive is a file of its own: APK_ARCHIVE_DIR).
APK_PAGE_CACHE_MAX_BYTES = int(os.environ.get("APK_PAGE_CACHE_MAX_BYTES", str(2 * 2**20)))
# Never cached: the language switcher's POST target; the sitemap, which crawlers read seldom and
# which must drop an unpublished page at once even after a bulk update that sends no signal; and
# robots.txt, which costs nothing to make and is the load benchmark's measure of an uncached
# request (bench/load.py).
APK_PAGE_CACHE_SKIP = ("/i18n/", "/sitemap.xml", "/robots.txt")
# The whole public archive (/api/v1/archive.json) is a file written once per change of the
# content and sent from here (api/archive_file.py).
APK_ARCHIVE_DIR = Path(os.environ.get("APK_ARCHIVE_DIR", VAR_DIR / "archive"))
# Requests to /api/ per minute from one address (apkportal/throttle.py); 0 turns the limit off.
# Editors logged in as staff are never limited.
APK_API_RATE_PER_MINUTE = int(os.environ.get("APK_API_RATE_PER_MINUTE", "120"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh is the default and the source language of the interface.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LANGUAGE_NAMES_NATIVE = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
USE_THOUSAND_SEPARATOR = True
# Our own date and number formats: Django has none for Kazakh (see apkportal/formats/).
FORMAT_MODULE_PATH = ["apkportal.formats"]

# Every search (its ranking, count and filter counts) is stopped past this many milliseconds, and
# the page says so: no query can hold a worker (SQLite: a progress handler; PostgreSQL:
# statement_timeout).
APK_SEARCH_TIME_LIMIT_MS = int(os.environ.get("APK_SEARCH_TIME_LIMIT_MS", "3000"))

# The order in which a missing translation falls back to another language. A reader of /en/
# sees Russian before Kazakh, one of /ru/ sees Kazakh first; pages mark fallback text as such.
APK_FALLBACK_LANGUAGES = {
    "default": env_tuple("APK_FALLBACK_DEFAULT", "kk,ru,en"),
    "kk": env_tuple("APK_FALLBACK_KK", "ru,en"),
    "ru": env_tuple("APK_FALLBACK_RU", "kk,en"),
    "en": env_tuple("APK_FALLBACK_EN", "ru,kk"),
}
MODELTRANSLATION_DEFAULT_LANGUAGE = "kk"
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = APK_FALLBACK_LANGUAGES
MODELTRANSLATION_AUTO_POPULATE = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# Failed logins (django-axes, kept in the database so every worker sees them). After 5 wrong
# passwords for one account from one address, that account is refused from that address for
# 15 minutes, even with the right password, and the editor sees a page saying so (429). Not for
# the account everywhere: anyone could then lock every editor out from one machine by typing
# their names. Not for the address alone: a newsroom or ministry behind one address would be
# locked by one colleague's typos. But an address that fails 20 times across accounts (one
# password tried on many names) is locked whatever it tries (apkportal/login_protection.py).
# A successful login clears that account's count for that address. An administrator can lift
# a lock at once: `python manage.py axes_reset_username NAME` (or axes_reset_ip ADDRESS).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: it refuses before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = "apkportal.login_protection.lockout_parameters"
APK_LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apkportal.login_protection.lockout_response"
# Behind a reverse proxy every request comes from the proxy's address: DJANGO_PROXY_COUNT is
# the number of proxies in front of the site, whose X-Forwarded-For entries are trusted.
APK_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "apkportal.login_protection.client_address"
# The attempts are seen in the logs and by the commands above, not in the editors' admin.
AXES_ENABLE_ADMIN = False

# The admin's language tabs need jQuery UI; modeltranslation would load it from a CDN, which the
# Content-Security-Policy (and an offline editor) forbids, so it is served from our own files.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Pages of public lists.
APK_PAGE_SIZE = 20

# The longest text (a statement, a speech's full text, a summary…) in characters, in any one
# language: the admin refuses a longer one and so does the import (the archive's JSON Schema).
APK_MAX_TEXT_CHARS = int(os.environ.get("APK_MAX_TEXT_CHARS", "100000"))
