from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("registers/", views.registers, name="registers"),
    path("registers/<slug:kind>/add/", views.register_add, name="register_add"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/record/", views.patrol_record, name="patrol_record"),
    path("patrols/bulletin/", views.patrol_bulletin, name="patrol_bulletin"),
    path("risks/", views.risks, name="risks"),
    path("risks/ledger/", views.ledger_submit, name="ledger_submit"),
    path("risks/chase/", views.ledgers_chase, name="ledgers_chase"),
    path("risks/analyse/", views.risks_analyse, name="risks_analyse"),
    path("risks/items/<int:pk>/close/", views.risk_close, name="risk_close"),
    path("risks/rectifications/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("liaison/", views.liaison, name="liaison"),
    path("liaison/<slug:kind>/", views.liaison_add, name="liaison_add"),
    path("accountability/", views.accountability, name="accountability"),
    path("accountability/<slug:kind>/", views.accountability_add, name="accountability_add"),
    path("public/misconduct/", views.public_misconduct, name="public_misconduct"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/register/", views.decision_register, name="decision_register"),
    path("decisions/<int:pk>/execute/", views.decision_execute, name="decision_execute"),
]
