from django.urls import path

from . import views

urlpatterns = [
    path("gui-phan-anh/", views.submit, name="submit"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/danh-gia/", views.verdict, name="verdict"),
    path("tra-cuu/quen-thiet-bi/", views.forget, name="forget_device"),
    path("phan-anh/anh/<int:pk>/", views.photo, name="feedback_photo"),
]
