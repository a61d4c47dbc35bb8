"""get_<field>_display() of the platform's models (labour.core.models.ChoiceLabels)
gives what Django's own gives, for every choice of every field, and for values
that are not a choice."""

from django.apps import apps
from django.db import models

from labour.core.models import ChoiceLabels


def _choice_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("labour."):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_the_models_shown_in_lists_use_it():
    from labour.certification.models import EnterpriseApplication
    from labour.projects.models import Participant, Project, ProjectInfoSubmission
    from labour.workforce.models import ProjectWorker

    for model in (Project, Participant, ProjectInfoSubmission, EnterpriseApplication,
                  ProjectWorker):
        assert issubclass(model, ChoiceLabels), model


def test_every_label_is_djangos():
    checked = 0
    for model, field in _choice_fields():
        values = [key for key, _ in field.flatchoices] + ["not-a-choice", "", None]
        for value in values:
            obj = model()
            setattr(obj, field.attname, value)
            expected = models.Model._get_FIELD_display(obj, field)
            shown = getattr(obj, f"get_{field.name}_display")()
            assert shown == expected and type(shown) is type(expected), (model, field, value)
            checked += 1
    assert checked > 100


def test_a_label_is_a_string_not_a_lazy_object():
    from labour.projects.models import Participant

    label = Participant(role="general_contractor").get_role_display()
    assert label == "施工总承包" and type(label) is str
