from celery import shared_task


@shared_task
def purge_draft_uploads():
    from .services import purge_abandoned_drafts

    return purge_abandoned_drafts()


@shared_task
def sweep_orphan_files():
    from .sweep import sweep_orphan_files as sweep

    return sweep().removed
