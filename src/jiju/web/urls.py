from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from jiju.accounts import views as account_views
from jiju.api.api import api
from jiju.assessment import views as assessment_views
from jiju.monitoring import analysis_views, config_views, dashboard
from jiju.monitoring import views as monitoring_views
from jiju.registry import views
from jiju.web import views as site_views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", account_views.create_token, name="create_token"),
    path("account/tokens/<int:pk>/delete/", account_views.delete_token, name="delete_token"),
    path("accounts/", include("jiju.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.regions, name="region"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("changes/", views.changes, name="changes"),
    path("assessment/upload/", assessment_views.upload, name="assessment_upload"),
    path("assessment/mapping/", assessment_views.add_mapping, name="assessment_mapping"),
    path("assessment/marked/<str:token>/", assessment_views.marked, name="assessment_marked"),
    path("assessment/indicators/", assessment_views.indicator_cards, name="assessment_indicator_cards"),
    path("assessment/indicators/<int:pk>/", assessment_views.indicator_card, name="assessment_indicator_card"),
    path("assessment/runs/", assessment_views.runs, name="assessment_runs"),
    path("assessment/runs/<int:pk>/", assessment_views.run_detail, name="assessment_run"),
    path("assessment/runs/<int:pk>/publish/", assessment_views.publish, name="assessment_publish"),
    path("assessment/runs/<int:pk>/objections/", assessment_views.record_objection, name="assessment_object"),
    path("assessment/runs/<int:pk>/finalise/", assessment_views.finalise, name="assessment_finalise"),
    path(
        "assessment/objections/<int:pk>/<str:decision>/",
        assessment_views.decide_objection,
        name="assessment_decide_objection",
    ),
    path("assessment/evidence/<int:pk>/", assessment_views.evidence, name="assessment_evidence"),
    path("assessment/runs/<int:pk>/compare/", assessment_views.compare, name="assessment_compare"),
    path("assessment/runs/<int:pk>/summary/", assessment_views.summary, name="assessment_summary"),
    path("assessment/runs/<int:pk>/notice.docx", assessment_views.notice, name="assessment_notice"),
    path("assessment/runs/<int:pk>/delete/", assessment_views.delete_run, name="assessment_delete_run"),
    path("assessment/runs/<int:pk>/retry/", assessment_views.retry_run, name="assessment_retry_run"),
    path("assessment/runs/<int:pk>/results/<int:result_pk>/", assessment_views.scorecard, name="assessment_scorecard"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("monitoring/status/", monitoring_views.status, name="monitoring_status"),
    path("monitoring/deadline/", monitoring_views.set_deadline, name="monitoring_deadline"),
    path(
        "monitoring/reports/<str:form_code>/<int:zone_pk>/<int:year>/<int:month>/",
        monitoring_views.report,
        name="monitoring_report",
    ),
    path(
        "monitoring/reports/<str:form_code>/<int:zone_pk>/<int:year>/<int:month>/template.xlsx",
        monitoring_views.template,
        name="monitoring_template",
    ),
    path("monitoring/rankings/", analysis_views.rankings, name="monitoring_rankings"),
    path("monitoring/bulletin.docx", analysis_views.bulletin_docx, name="monitoring_bulletin"),
    path("monitoring/bulletin.xlsx", analysis_views.bulletin_xlsx, name="monitoring_bulletin_xlsx"),
    path("monitoring/targets/", analysis_views.targets, name="monitoring_targets"),
    path("monitoring/targets/template.xlsx", analysis_views.target_template, name="monitoring_target_template"),
    path("monitoring/evaluations/", analysis_views.evaluations, name="monitoring_evaluations"),
    path("monitoring/evaluations/history/", analysis_views.history, name="monitoring_history"),
    path("monitoring/evaluations/<int:pk>/", analysis_views.evaluation, name="monitoring_evaluation"),
    path("monitoring/ratings/", analysis_views.rating_events, name="monitoring_ratings"),
    path("monitoring/ratings/<int:pk>/", analysis_views.rating_event, name="monitoring_rating"),
    path(
        "monitoring/ratings/<int:pk>/template.xlsx", analysis_views.rating_template, name="monitoring_rating_template"
    ),
    path("monitoring/indicators/", config_views.indicators, name="monitoring_indicators"),
    path("monitoring/indicators/new/", config_views.indicator_edit, name="monitoring_indicator_new"),
    path("monitoring/indicators/<int:pk>/edit/", config_views.indicator_edit, name="monitoring_indicator_edit"),
    path("monitoring/forms/new/", config_views.form_edit, name="monitoring_form_new"),
    path("monitoring/forms/<int:pk>/edit/", config_views.form_edit, name="monitoring_form_edit"),
    path("api/", api.urls),
    re_path(rf"^{settings.STATIC_URL.strip('/')}/(?P<path>.*)$", site_views.static_file, name="static_file"),
    path("<str:slug>/", views.record_list, name="record_list"),
    path("<str:slug>/new/", views.record_create, name="record_create"),
    path("<str:slug>/<int:pk>/", views.record_detail, name="record_detail"),
    path("<str:slug>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<str:slug>/<int:pk>/delete/", views.record_delete, name="record_delete"),
]
