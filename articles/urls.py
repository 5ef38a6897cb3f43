from django.urls import path, register_converter

from . import feeds, preview, views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(TwoDigitConverter, "dd")

app_name = "articles"
urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("sok/", views.SearchView.as_view(), name="search"),
    path("tema/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("person/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("rettelser/", views.CorrectionsView.as_view(), name="corrections"),
    path("rettelser/rss/", feeds.CorrectionsFeed(), name="corrections_feed"),
    path("pfu/", views.PfuRulingsView.as_view(), name="pfu_rulings"),
    path("pfu/rss/", feeds.PfuRulingsFeed(), name="pfu_feed"),
    path("om-oss/", views.AboutView.as_view(), name="about"),
    path("<slug:slug>/rss/", feeds.SectionFeed(), name="section_feed"),
    path("forhandsvisning/<int:pk>/", preview.ArticlePreviewView.as_view(), name="preview"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:section>/<int:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
]
