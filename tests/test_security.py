import pytest
from django.core.exceptions import ImproperlyConfigured

pytestmark = pytest.mark.django_db


def test_public_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/robots.txt")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_allows_inline_styles_but_not_inline_scripts(admin_client):
    csp = admin_client.get("/en/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'self';" in csp


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import importlib

    import apkportal.settings as settings_module

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
            importlib.reload(settings_module)
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


def test_production_settings_use_hashed_compressed_static_files(monkeypatch):
    import importlib

    import apkportal.settings as settings_module

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.STORAGES["staticfiles"]["BACKEND"] == (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        assert reloaded.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert reloaded.SESSION_COOKIE_SECURE is True
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
