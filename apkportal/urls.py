from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.views.decorators.http import require_GET

from sessions_app.sitemaps import SITEMAPS


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines.append(f"Sitemap: {sitemap_url}")
    body = "\n".join(lines) + "\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
    # Not cached: an unpublished page must leave the sitemap at once.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("", include("sessions_app.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The 404 page is Django's own view rendering templates/404.html in the reader's language; the 500
# page needs a view that renders it with the request (for the language) but without the database.
handler500 = "sessions_app.views.server_error"
