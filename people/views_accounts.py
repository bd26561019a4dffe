"""Where allauth's own views need a word more for people (everything else is allauth's)."""

from typing import Any

from allauth.account import app_settings
from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class ConfirmEmail(ConfirmEmailView):
    """allauth's confirmation page, which also recognises a link opened a second time: the
    address it names is already confirmed, so say that (and offer to sign in) instead of
    "expired or invalid"."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context.get("confirmation") is None:
            context["already_confirmed"] = _confirmed_address(self.kwargs.get("key", ""))
        return context


def _confirmed_address(key: str) -> str | None:
    """The e-mail address an (unexpired, genuine) confirmation key names, if it is confirmed."""
    try:
        max_age = 60 * 60 * 24 * app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
        pk = signing.loads(key, max_age=max_age, salt=app_settings.SALT)
    except signing.BadSignature:  # expired keys raise SignatureExpired, a BadSignature
        return None
    address = EmailAddress.objects.filter(pk=pk, verified=True).first()
    return address.email if address else None
