from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_matters, name="my"),
    path("open/", views.open_government, name="open"),
    path("open/data/", views.open_data, name="open_data"),
    path("open/data/<slug:slug>.<str:fmt>", views.dataset, name="dataset"),
    path("search/", views.site_search, name="search"),
    path("care/", views.care_mode, name="care"),
    path("healthz", views.healthz, name="healthz"),
]
