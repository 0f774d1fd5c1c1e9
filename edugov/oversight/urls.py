from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("registers/", views.registers, name="registers"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/bulletin/", views.patrol_bulletin, name="patrol_bulletin"),
    path("risks/", views.risks, name="risks"),
    path("decisions/", views.decisions, name="decisions"),
]
