from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:key>/", views.drilldown, name="drilldown"),
]
