from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS, sitemap_index


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        # A file's name is never reused for other content (uploads get random names, and
        # renditions are named after their original), so browsers may keep it for good.
        response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
    return response


# A new colleague's first password (the link «Ny medarbeider» and create_colleague give out).
ADMIN_HEADER = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

urlpatterns = [
    path(
        "admin/passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_HEADER),
        name="password_reset_confirm",
    ),
    path(
        "admin/passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_HEADER),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel=icon> says.
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path(
        "sitemap.xml",
        sitemap_index,
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "sitemap-section",
            "template_name": "sitemaps/sitemap_index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="news-sitemap",
    ),
    path("", include("ops.urls")),
]
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media)]
urlpatterns += [path("", include("articles.urls"))]

handler400 = "ops.views.bad_request"
handler500 = "ops.views.server_error"
