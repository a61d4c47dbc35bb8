from django.urls import path

from . import project_views, views

app_name = "certification"
urlpatterns = [
    path("enterprise/", views.apply, name="apply"),
    path("enterprise/template/", views.template_download, name="template"),
    path("enterprise/submitted/<str:number>/", views.submitted, name="submitted"),
    path("progress/", views.progress, name="progress"),
    path("progress/end/", views.progress_end, name="progress_end"),
    path("region/", views.region_lookup, name="region"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<str:number>/", views.review_detail, name="review_detail"),
    path("project/", project_views.apply, name="project_apply"),
    path("project/projects/", project_views.open_projects, name="project_open_projects"),
    path("project/template/", project_views.template_download, name="project_template"),
    path("project/submitted/<str:number>/", project_views.submitted, name="project_submitted"),
    path("project/progress/", project_views.progress, name="project_progress"),
    path("project/progress/<str:number>/abandon/", project_views.abandon,
         name="project_abandon"),
    path("project/review/", project_views.review_queue, name="project_review_queue"),
    path("project/review/<str:number>/", project_views.review_detail,
         name="project_review_detail"),
]
