from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("petitions/new/", views.staff_intake, name="intake"),
    path("petitions/bulletin/", views.bulletin_view, name="bulletin"),
    path("petitions/<int:pk>/steps/<str:name>/", views.step, name="step"),
    path("complaints/new/", views.public_intake, name="public_intake"),
    path("complaints/track/", views.track, name="track"),
    path("complaints/track/document/", views.track_document, name="track_document"),
    path("complaints/rate/", views.rate, name="rate"),
    path("complaints/reopen/", views.reopen, name="reopen"),
    path("complaints/review/", views.request_review, name="request_review"),
    path("petitions/return-visits/", views.return_visits, name="return_visits"),
    path("petitions/recontact/", views.recontact, name="recontact"),
]
