from django.urls import path

from . import views

app_name = "draws"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("<str:draw_id>/", views.public_detail, name="public"),
]
