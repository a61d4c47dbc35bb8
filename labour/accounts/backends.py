"""The authentication backend: Django's ModelBackend, except that the user of each
request is loaded with its enterprise in the same query. Every page of an enterprise
or project account needs it (the participation rule matches its credit code), and
loading it apart cost a second query on each of those pages."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("enterprise").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
