from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("documents/<int:pk>/", views.download, name="download"),
    path("certificates.pem", views.certificates, name="certificates"),
    path("<str:code>", views.verify, name="verify"),
]
