from django.urls import path

from . import views

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
]
