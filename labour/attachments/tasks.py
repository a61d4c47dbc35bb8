from celery import shared_task


@shared_task
def purge_draft_uploads():
    from .services import purge_abandoned_drafts

    return purge_abandoned_drafts()
