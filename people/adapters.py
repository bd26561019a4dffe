from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.db import transaction

from people import services
from people.models import Organisation


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Failed sign-ins lock the account, not the address (settings.ACCOUNT_RATE_LIMITS).
        "too_many_login_attempts": "Too many failed sign-in attempts for this account. Wait five "
        "minutes and try again, or reset your password to sign in now.",
    }

    def send_mail(self, template_prefix, email, context):
        """Render the e-mail here (in the request, with its site and links) and let the
        worker send it (``people.tasks.send_email``): no SMTP on the request path."""
        from people.tasks import send_email

        message = self.render_mail(template_prefix, email, context)
        send_email.enqueue(
            {
                "subject": message.subject,
                "body": message.body,
                "from_email": message.from_email,
                "to": list(message.to),
                "headers": dict(message.extra_headers),
                "alternatives": [
                    [a.content, a.mimetype] if hasattr(a, "content") else list(a)
                    for a in getattr(message, "alternatives", [])
                ],
            }
        )

    def save_user(self, request, user, form, commit=True):
        """Create the account and its profile in one transaction: both or neither — and the
        organisation they named, if it was not listed (``people.services.organisation_create``,
        rate-limited like every other way of adding one)."""
        if not commit:
            return super().save_user(request, user, form, commit=False)
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            data = form.cleaned_data
            organisation = data["organisation"]
            if data.get("new_organisation_name"):  # "My organisation is not listed"
                organisation = _new_or_just_added(user, data)
            services.person_join(
                user=user,
                display_name=data["display_name"],
                organisation=organisation,
                role_title=data["role_title"],
                level=data["level"],
            )
        return user


def user_display(user) -> str:
    """How allauth names a person in its messages ("Signed in as …")."""
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.email


def _new_or_just_added(user, data):
    """The organisation a person named as not listed. If someone else added it between the
    form's check and now (two colleagues signing up at once), they join that one: the same
    name is the same organisation, and their sign-up must not fail."""
    name = data["new_organisation_name"]
    try:
        return services.organisation_create(
            actor=user,
            name=name,
            short_name=data.get("new_organisation_short_name", ""),
            kind=data["new_organisation_kind"],
            region=data["new_organisation_region"],
        )
    except ValidationError:
        existing = Organisation.objects.filter(name__iexact=name.strip()).first()
        if existing is None:
            raise
        return existing
