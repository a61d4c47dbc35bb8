from celery import shared_task


@shared_task(acks_late=True)
def check_import_task(job_id):
    """批量导入: check a large file in the background (the page shows the progress)."""
    from .importing import check_import

    check_import(job_id)


@shared_task(acks_late=True)
def run_import_task(job_id):
    """批量导入: 「确认导入」 of a large file, in one transaction."""
    from .importing import run_import

    run_import(job_id)
