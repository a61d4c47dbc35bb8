from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("project-accounts/", views.project_accounts, name="project_accounts"),
    path("project-accounts/<str:username>/active/", views.project_account_active,
         name="project_account_active"),
    path("project-accounts/<str:username>/reset/", views.project_account_reset,
         name="project_account_reset"),
]
