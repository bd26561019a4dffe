"""Account e-mails (address confirmation, password reset, sign-in codes) leave the request path:
allauth renders them in the request (``AccountAdapter.send_mail``), the worker sends them. A
slow or failing mail server never holds up or breaks a sign-up; a failed send is retried by
running the task again (its row keeps the traceback)."""

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def send_email(message: dict[str, Any]) -> int:
    """Send one rendered e-mail (``message`` as ``AccountAdapter.send_mail`` wrote it)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or {},
    )
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    return email.send()
