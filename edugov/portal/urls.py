from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_matters, name="my"),
    path("healthz", views.healthz, name="healthz"),
]
