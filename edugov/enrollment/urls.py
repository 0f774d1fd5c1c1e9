from django.urls import path

from . import views

app_name = "enrollment"
urlpatterns = [
    path("enrollment/", views.intakes, name="intakes"),
    path("enrollment/<int:pk>/", views.policy, name="policy"),
    path("enrollment/<int:pk>/apply/", views.apply, name="apply"),
    path("enrollment/<int:pk>/apply/draft/", views.apply_draft, name="apply_draft"),
    path("enrollment/<int:pk>/results/", views.results, name="results"),
    path("enrollment/applications/<int:pk>/", views.mine, name="mine"),
    path("enrollment/applications/<int:pk>/<slug:name>/", views.own_act, name="own_act"),
    path("enrollment/track/", views.track, name="track"),
    path("enrollment/<int:pk>/special/", views.special, name="special"),
    path("enrollment/special/<int:pk>/steps/<slug:name>/", views.special_step, name="special_step"),
    path("enrollment/manage/", views.manage, name="manage"),
    path("enrollment/manage/<slug:name>/", views.intake_act, name="intake_act"),
    path("enrollment/cases/<int:pk>/steps/<slug:name>/", views.step, name="step"),
]
