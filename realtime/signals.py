"""Framework hooks only: ending a session closes exactly that session's sockets.

- Signing out (Django's ``user_logged_out``) closes the sockets of the signed-out session.
- Deleting a session row — "sign out elsewhere", an administrator deleting sessions, a session
  key cycled at a password change, ``clearsessions`` — closes the sockets of that session.
- Saving a user's password or active flag (password change or reset through allauth, the admin,
  ``changepassword``) makes each of their open sockets check that its session still signs them
  in: the sessions the change ended close, the others stay live.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from realtime.publish import end_session_connections, recheck_user_connections_on_commit

SESSION_ENDING_FIELDS = {"password", "is_active", "email"}


@receiver(user_logged_out, dispatch_uid="realtime.close_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        end_session_connections(session_key)


@receiver(post_delete, sender=Session, dispatch_uid="realtime.close_on_session_delete")
def close_sockets_of_deleted_session(sender, instance, **kwargs) -> None:
    end_session_connections(instance.session_key)


@receiver(post_save, dispatch_uid="realtime.recheck_on_user_change")
def recheck_sockets_on_user_change(sender, instance, created, update_fields, **kwargs) -> None:
    if sender is not get_user_model() or created:
        return
    if update_fields is None or SESSION_ENDING_FIELDS & set(update_fields):
        recheck_user_connections_on_commit(instance.pk)
