from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("roster/", views.roster_index, name="roster_index"),
    path("roster/<str:code>/", views.roster, name="roster"),
    path("roster/<str:code>/export/", views.export, name="export"),
    path("roster/<str:code>/workers/new/", views.worker_new, name="worker_new"),
    path("roster/<str:code>/workers/<int:worker_id>/", views.worker, name="worker"),
    path("roster/<str:code>/workers/<int:worker_id>/edit/", views.worker_edit, name="worker_edit"),
    path("roster/<str:code>/workers/<int:worker_id>/reveal/", views.worker_reveal,
         name="worker_reveal"),
    path("roster/<str:code>/workers/<int:worker_id>/contract/", views.contract, name="contract"),
    path("roster/<str:code>/workers/<int:worker_id>/card/", views.card, name="card"),
    path("roster/<str:code>/workers/<int:worker_id>/entry/", views.entry, name="entry"),
    path("roster/<str:code>/workers/<int:worker_id>/exit/", views.exit_, name="exit"),
    path("roster/<str:code>/import/", views.import_page, name="import"),
    path("roster/<str:code>/import/template/", views.import_template, name="import_template"),
    path("roster/<str:code>/import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("roster/<str:code>/import/<uuid:job_id>/status/", views.import_status,
         name="import_status"),
    path("teams/", views.team_index, name="team_index"),
    path("teams/<str:code>/", views.teams, name="teams"),
    path("teams/<str:code>/new/", views.team_edit, name="team_new"),
    path("teams/<str:code>/<int:team_id>/", views.team_edit, name="team_edit"),
    path("overview/", views.overview, name="overview"),
    path("overview/export/", views.overview_export, name="overview_export"),
    path("contract-template/", views.contract_template, name="contract_template"),
]
