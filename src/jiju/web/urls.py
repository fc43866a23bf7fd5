from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiju.accounts import views as account_views
from jiju.api.api import api
from jiju.assessment import views as assessment_views
from jiju.registry import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/tokens/", account_views.create_token, name="create_token"),
    path("account/tokens/<int:pk>/delete/", account_views.delete_token, name="delete_token"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.regions, name="region"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("changes/", views.changes, name="changes"),
    path("assessment/upload/", assessment_views.upload, name="assessment_upload"),
    path("assessment/mapping/", assessment_views.add_mapping, name="assessment_mapping"),
    path("assessment/marked/<str:token>/", assessment_views.marked, name="assessment_marked"),
    path("assessment/runs/", assessment_views.runs, name="assessment_runs"),
    path("assessment/runs/<int:pk>/", assessment_views.run_detail, name="assessment_run"),
    path("assessment/runs/<int:pk>/publish/", assessment_views.publish, name="assessment_publish"),
    path("assessment/runs/<int:pk>/summary/", assessment_views.summary, name="assessment_summary"),
    path("assessment/runs/<int:pk>/notice.docx", assessment_views.notice, name="assessment_notice"),
    path("assessment/runs/<int:pk>/delete/", assessment_views.delete_run, name="assessment_delete_run"),
    path("assessment/runs/<int:pk>/results/<int:result_pk>/", assessment_views.scorecard, name="assessment_scorecard"),
    path("api/", api.urls),
    path("<str:slug>/", views.record_list, name="record_list"),
    path("<str:slug>/new/", views.record_create, name="record_create"),
    path("<str:slug>/<int:pk>/", views.record_detail, name="record_detail"),
    path("<str:slug>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<str:slug>/<int:pk>/delete/", views.record_delete, name="record_delete"),
]
