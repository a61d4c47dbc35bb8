from .models import Enterprise


def enterprise_of(user):
    """The enterprise of an enterprise account, with its documents."""
    if not getattr(user, "is_authenticated", False) or not user.enterprise_id:
        return None
    return (Enterprise.objects.select_related(
        "certificate", "authorisation_letter", "id_card_front", "id_card_back", "application")
        .filter(pk=user.enterprise_id).first())
