from django.urls import path

app_name = "reception"

urlpatterns: list = []
