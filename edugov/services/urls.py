from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("services/", views.guide_list, name="guides"),
    path("services/items/<int:pk>/", views.guide, name="guide"),
    path("services/items/<int:pk>/apply/", views.apply, name="apply"),
    path("services/applications/<int:pk>/", views.mine, name="mine"),
    path("services/decisions/", views.decisions, name="decisions"),
    path("services/rate/", views.rate_visit, name="rate_visit"),
    path("services/catalogue/", views.catalogue_view, name="catalogue"),
    path("services/catalogue/new/", views.item_edit, name="item_new"),
    path("services/catalogue/<int:pk>/", views.catalogue_item, name="catalogue_item"),
    path("services/catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("services/counter/", views.counter, name="counter"),
    path("services/cases/<int:pk>/step/", views.step, name="step"),
    path("services/verification/", views.verification, name="verification"),
    path("services/stats/", views.stats, name="stats"),
]
