from django.urls import path

from . import views

app_name = "arrears"
urlpatterns = [
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/export/", views.export, name="export"),
    path("warnings/project/<str:code>/", views.project, name="project"),
    path("enterprise/", views.enterprise, name="enterprise"),
]
