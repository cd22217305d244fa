from celery import shared_task

from . import services


@shared_task
def disable_inactive_accounts() -> int:
    """Daily (beat): accounts unused for ``ACCOUNT_INACTIVE_DAYS`` are disabled (GB/T 22239-2019 8.1.4.2 c))."""
    return services.disable_inactive()
