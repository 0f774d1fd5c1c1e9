from django.urls import path

from . import views

app_name = "remedies"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("cases/<int:pk>/steps/<str:name>/", views.step, name="step"),
    path("cases/<int:pk>/bundle.zip", views.bundle, name="bundle"),
]
