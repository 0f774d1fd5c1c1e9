from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("workflows/", views.workflows, name="workflows"),
    path("assign/", views.assign, name="assign"),
    path("claim/", views.claim, name="claim"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<str:name>/", views.transition, name="transition"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/files/<int:att_pk>/", views.attachment_download, name="attachment"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
]
