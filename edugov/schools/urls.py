from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("legal-vps/", views.lvp_list, name="lvp_list"),
    path("legal-vps/appoint/", views.lvp_appoint, name="lvp_appoint"),
    path("legal-vps/<int:pk>/", views.lvp_detail, name="lvp"),
    path("legal-vps/<int:pk>/classes/", views.lvp_class, name="lvp_class"),
    path("legal-vps/<int:pk>/evaluations/", views.lvp_evaluate, name="lvp_evaluate"),
    path("legal-vps/<int:pk>/end/", views.lvp_end, name="lvp_end"),
    path("legal-vps/<int:pk>/replace/", views.lvp_replace, name="lvp_replace"),
    path("legal-vps/<int:pk>/letter.docx", views.lvp_letter, name="lvp_letter"),
    path("special/", views.special_list, name="special_list"),
    path("special/admit/", views.special_admit, name="special_admit"),
    path("special/<int:pk>/", views.special_case, name="special_case"),
    path("special/<int:pk>/release/", views.special_release, name="special_release"),
    path("special/<int:pk>/follow-ups/", views.special_follow_up, name="special_follow_up"),
    path("special/<int:pk>/reoffences/", views.special_reoffence, name="special_reoffence"),
    path("rule-of-law/", views.rule_of_law, name="rule_of_law"),
    path("rule-of-law/<slug:kind>/", views.rule_of_law_add, name="rule_of_law_add"),
    path("education/", views.education, name="education"),
    path("education/apply/", views.education_apply, name="education_apply"),
    path("education/courses/", views.education_course, name="education_course"),
    path("education/quiz/", views.education_quiz, name="education_quiz"),
    path("education/applications/<int:pk>/<str:decision>/", views.education_decide, name="education_decide"),
]
