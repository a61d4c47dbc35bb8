from typing import Any, ClassVar

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class ChoiceLabels:
    """`get_<field>_display()` from a table built once per field: Django builds the
    field's dict of choices again on every call, which a list page of 20 rows with
    a status and a role per row paid 40 times (issue 10 §5). Same result as
    Django's (labour/core/tests/test_choice_labels.py)."""

    _choice_labels: ClassVar[dict[Any, dict[Any, Any]]] = {}

    def _get_FIELD_display(self, field: Any) -> Any:  # noqa: N802 - Django's name
        labels = ChoiceLabels._choice_labels.get(field)
        if labels is None:
            labels = ChoiceLabels._choice_labels[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
