from django.urls import path

from . import views

urlpatterns = [
    path("gui-phan-anh/", views.submit, name="submit"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
]
