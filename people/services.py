"""Every write about people and organisations. Keyword-only, atomic, permission first."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from core import idempotency, ratelimit
from people import permissions
from people.models import ApiToken, IdempotencyKey, Organisation, Profile, User
from realtime import publish

PROFILE_FIELDS = ("display_name", "organisation", "role_title", "level", "bio", "auto_follow")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    region: str,
    short_name: str = "",
    website: str = "",
) -> Organisation:
    if actor is not None and not permissions.can_add_organisation(actor):
        raise PermissionDenied("You must be signed in to add an organisation.")
    organisation = Organisation(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        region=region,
        website=website.strip(),
        created_by=actor,
    )
    organisation.slug = _unique_slug(organisation.name)
    organisation.full_clean()
    if actor is not None:
        ratelimit.check(user=actor, action="organisation")
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a concurrent add of the same name
        raise ValidationError({"name": "An organisation with this name already exists."}) from exc
    profile = getattr(actor, "profile", None) if actor is not None else None
    if actor is not None and profile is not None:
        publish.record(actor=actor, verb="organisation.added", target=organisation)
    return organisation


@transaction.atomic
def person_join(
    *,
    user: User,
    display_name: str,
    organisation: Organisation,
    role_title: str,
    level: str,
    bio: str = "",
) -> Profile:
    """Give a new account its profile and announce that they joined their organisation."""
    profile = Profile(
        user=user,
        display_name=display_name.strip(),
        organisation=organisation,
        role_title=role_title.strip(),
        level=level,
        bio=bio.strip(),
    )
    profile.full_clean()
    profile.save()
    publish.record(actor=user, verb="person.joined", target=organisation)
    return profile


@transaction.atomic
def profile_update(*, actor: User, profile: Profile, **changes: Any) -> Profile:
    """Change one's own profile. Records one activity if anything changed."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied("You can only edit your own profile.")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    changed = [f for f, v in changes.items() if getattr(profile, f) != v]
    if not changed:
        return profile
    old_organisation_id = profile.organisation_id
    for field in changed:
        value = changes[field]
        setattr(profile, field, value.strip() if isinstance(value, str) else value)
    profile.full_clean()
    ratelimit.check(user=actor, action="profile")
    profile.save(update_fields=[*changed, "updated"])
    publish.record(
        actor=actor,
        verb="profile.updated",
        target=profile,
        title="their profile",
        payload={"fields": changed},
    )
    if profile.organisation_id != old_organisation_id and profile.organisation is not None:
        publish.record(actor=actor, verb="person.joined", target=profile.organisation)
    return profile


@transaction.atomic
def person_deactivate(*, actor: User, user: User) -> User:
    """Deactivate an account; its open sockets are closed once the change commits."""
    if not permissions.can_deactivate_person(actor):
        raise PermissionDenied("Only staff can deactivate accounts.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        close_connections_on_commit(user=user)
    return user


def close_connections_on_commit(*, user: User) -> None:
    """Once the current transaction commits, close the person's open sockets (access lost)."""
    transaction.on_commit(lambda: publish.close_user_connections(user.pk), robust=True)


@transaction.atomic
def person_register(
    *,
    email: str,
    password_hash: str,
    display_name: str,
    organisation: Organisation,
    role_title: str,
    level: str,
    bio: str = "",
) -> Profile:
    """Create an account whose e-mail is already verified, with its profile.

    For trusted bulk paths (the demo seeder, imports); people signing up go through allauth,
    which verifies the address by e-mail first.
    """
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    user = User(email=email, username=email.split("@")[0][:150], password=password_hash)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return person_join(
        user=user,
        display_name=display_name,
        organisation=organisation,
        role_title=role_title,
        level=level,
        bio=bio,
    )


TOKEN_PREFIX = "sc_"  # noqa: S105 - a prefix, not a secret


def _hash_token(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal access token. The raw token is returned once and never stored."""
    import secrets

    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=raw[:10], token_hash=_hash_token(raw))
    token.full_clean()
    ratelimit.check(user=user, action="token")
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked is None:
        from django.utils import timezone

        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Records when it was last used."""
    from django.utils import timezone

    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(raw), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


@transaction.atomic
def idempotent(
    *, user: User, key: str, fingerprint: str, call: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run ``call`` — an API request that creates something — once per person and
    ``Idempotency-Key`` (``core/idempotency.py``); a repeat within a day gets the kept response.

    The key's row is written first, in the transaction that ``call`` creates its rows in: a
    second request with the same key waits on the unique constraint until the first commits,
    then replays its response (or runs, if the first failed and rolled back). Only successes are
    kept, so a request refused (422, 429, …) may be retried with the same key."""
    from django.utils import timezone

    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created__lt=now - idempotency.TTL).delete()
    row = IdempotencyKey(
        user=user, key=key, fingerprint=fingerprint, status=0, response={}, created=now
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        kept = IdempotencyKey.objects.get(user=user, key=key)
        if kept.fingerprint != fingerprint:
            raise idempotency.KeyReused(idempotency.conflict_message()) from None
        return kept.status, kept.response
    status, body = call()
    row.status, row.response = status, body
    row.save(update_fields=["status", "response"])
    return status, body


def person_active(*, user: User, when: Any = None) -> None:
    """Note that someone took part just now (posted, commented, supported)."""
    from django.utils import timezone

    Profile.objects.filter(user=user).update(last_active=when or timezone.now())
