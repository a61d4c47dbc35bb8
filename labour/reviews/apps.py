from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "labour.reviews"
    verbose_name = "审核"
