"""Framework hooks only: logging out closes that person's open sockets at once."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from realtime.publish import close_user_connections


@receiver(user_logged_out, dispatch_uid="realtime.close_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk is not None:
        close_user_connections(user.pk)
