from django.urls import path

from . import views

app_name = "leadership"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:kind>/add/", views.add, name="add"),
]
