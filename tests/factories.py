import factory
from allauth.account.models import EmailAddress

from people.models import Organisation, Profile, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Trust {n}")
    short_name = factory.Sequence(lambda n: f"CT{n}")
    slug = factory.Sequence(lambda n: f"community-trust-{n}")
    kind = Organisation.Kind.NGO
    region = Organisation.Region.WELLINGTON


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role_title = "Social worker"
    level = Profile.Level.FRONTLINE
