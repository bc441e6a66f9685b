"""News on the portal, in the "portal" namespace: portal:news, portal:article, the photos
and the RSS/Atom feeds (the whole portal's and each place's)."""

from django.urls import path

from . import feeds, views

urlpatterns = [
    path("tin-tuc/", views.news, name="news"),
    path("tin-tuc/rss/", feeds.NewsRss(), name="news_feed_all_rss"),
    path("tin-tuc/atom/", feeds.NewsAtom(), name="news_feed_all_atom"),
    path("tin-tuc/anh/<uuid:public_id>/", views.photo, name="news_photo"),
    path("tin-tuc/<uuid:public_id>/", views.article, name="article_short"),
    path("tin-tuc/<uuid:public_id>/<str:slug>/", views.article, name="article"),
    path("noi/<str:code>/tin-tuc.rss", feeds.NewsRss(), name="news_feed_rss"),
    path("noi/<str:code>/tin-tuc.atom", feeds.NewsAtom(), name="news_feed_atom"),
]
