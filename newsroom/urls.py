from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
    path("", include("articles.urls")),
]

handler500 = "ops.views.server_error"
