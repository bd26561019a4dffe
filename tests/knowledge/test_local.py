"""Base and local versions: a region localises a shared pathway, sees where it differs, and
when the base changes takes the change in (a three-way merge) or declines it with a reason.
Stale answers are refused with nothing changed; what people write never becomes markup."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from knowledge import localising, merging, services
from knowledge.models import Article, LocalVersion, UpstreamDecision
from realtime.models import Activity, Notification
from realtime.notifications import fan_out_inline
from tests.factories import OrganisationFactory, ProfileFactory
from tests.knowledge.conftest import PATHWAY_BODY

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
REGIONAL = PATHWAY_BODY.replace("Porirua falls clinic.", "Te Awa falls clinic, Hastings.")


@pytest.fixture
def base(make_article):
    """A pathway written by Porirua Whānau Centre (the writer's organisation)."""
    return make_article(kind="pathway", title="Falls in older people", body=PATHWAY_BODY)


@pytest.fixture
def local(base, nurse):
    """Te Awa Health's local version of it, with the local services changed."""
    version = localising.localise(actor=nurse, base=base, label="Hawke's Bay")
    _revise(version.local, nurse, body=REGIONAL)
    return version


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def _revise(article, actor, **changes):
    article.refresh_from_db()
    current = article.current
    fields = {"title": current.title, "summary": current.summary, "body": current.body}
    fields.update(changes)
    return services.revision_save(
        actor=actor, article=article, base_number=current.number, **fields
    )


def _fresh(version):
    return LocalVersion.objects.select_related("local", "base", "follows").get(pk=version.pk)


# --- making a local version ---------------------------------------------------------------


def test_localising_copies_the_base_text_and_follows_its_revision(base, nurse):
    version = localising.localise(actor=nurse, base=base, label="  Hawke's   Bay ")
    local = version.local
    assert local.kind == "pathway" and local.pk != base.pk
    assert local.owner == nurse and local.organisation.name == "Te Awa Health"
    assert local.current.number == 1
    assert local.current.body == base.current.body
    assert local.current.summary == base.current.summary
    assert local.title == "Falls in older people (Hawke's Bay)"
    assert version.label == "Hawke's Bay" and version.follows == base.current
    assert list(local.tags.names()) == ["whānau"]
    activity = Activity.objects.get(verb="knowledge.localised")
    assert activity.target_id == str(base.pk) and activity.payload["local_id"] == local.pk


def test_the_label_defaults_to_the_organisation(base, nurse):
    assert localising.localise(actor=nurse, base=base).label == "Te Awa Health"


def test_one_local_version_per_organisation(base, local, other_org):
    colleague = ProfileFactory(display_name="Mere Colleague", organisation=other_org).user
    articles = Article.objects.count()
    with pytest.raises(localising.AlreadyLocalised) as refused:
        localising.localise(actor=colleague, base=base, label="Somewhere else")
    assert refused.value.local == local.local
    assert "already has a local version" in refused.value.messages[0]
    assert Article.objects.count() == articles
    # Another organisation may make its own
    third = ProfileFactory(organisation=OrganisationFactory(name="Kāpiti Care")).user
    assert localising.localise(actor=third, base=base).label == "Kāpiti Care"


def test_what_cannot_be_localised_is_refused_with_nothing_made(base, local, writer, no_org):
    articles = Article.objects.count()
    with pytest.raises(ValidationError, match="your organisation's own"):
        localising.localise(actor=writer, base=base)
    third = ProfileFactory(organisation=OrganisationFactory(name="Kāpiti Care")).user
    with pytest.raises(ValidationError, match="is a local version of “Falls in older people”"):
        localising.localise(actor=third, base=local.local)
    with pytest.raises(PermissionDenied):
        localising.localise(actor=no_org, base=base)
    with pytest.raises(ValidationError, match="under 100 characters"):
        localising.localise(actor=third, base=base, label="x" * 101)
    assert Article.objects.count() == articles


# --- the base changes ---------------------------------------------------------------------


def test_a_base_change_notifies_the_owners_of_local_versions(base, local, writer, nurse):
    with fan_out_inline():
        revision = _revise(
            base, writer, body=PATHWAY_BODY.replace("Ask about falls.", "Ask about falls.\n\nX")
        )
    notification = Notification.objects.get(user=nurse, activity__payload__revision=revision.number)
    assert notification.reason == "local_base"


def test_taking_in_applies_the_base_change_and_follows_the_new_revision(base, local, writer, nurse):
    new = _revise(
        base, writer, body=PATHWAY_BODY.replace("Ask about falls.", "Ask about falls this year.")
    )
    version = _fresh(local)
    current = version.local.current
    merged = merging.merge(ancestor=version.follows.body, local=current.body, upstream=new.body)
    decision = localising.upstream_take(
        actor=nurse, version=version, upstream_number=new.number, local_number=current.number,
        title=current.title, summary=current.summary, body=merged.text(),
    )  # fmt: skip
    version = _fresh(version)
    body = version.local.current.body
    assert "Ask about falls this year." in body and "Te Awa falls clinic, Hastings." in body
    assert version.follows == new
    assert decision.action == "taken" and decision.local_revision == version.local.current
    assert version.local.current.edit_summary == f"Took in revision {new.number} of the base"
    assert Activity.objects.filter(verb="knowledge.upstream_taken").count() == 1


def test_taking_in_with_conflict_markers_left_is_refused_with_nothing_changed(
    base, local, writer, nurse
):
    new = _revise(
        base, writer, body=PATHWAY_BODY.replace("Porirua falls clinic.", "Regional falls service.")
    )
    version = _fresh(local)
    current = version.local.current
    merged = merging.merge(ancestor=version.follows.body, local=current.body, upstream=new.body)
    assert len(merged.conflicts) == 1
    with pytest.raises(ValidationError, match="conflict marker lines"):
        localising.upstream_take(
            actor=nurse, version=version, upstream_number=new.number,
            local_number=current.number, title=current.title, summary=current.summary,
            body=merged.text(),
        )  # fmt: skip
    version = _fresh(version)
    assert version.follows.number == 1 and version.local.current == current
    assert not UpstreamDecision.objects.exists()


def test_stale_answers_are_refused_with_nothing_changed(base, local, writer, nurse):
    first = _revise(base, writer, body=PATHWAY_BODY + "\n\nOne.")
    version = _fresh(local)
    current = version.local.current
    # The base changed again after the page was shown
    _revise(base, writer, body=PATHWAY_BODY + "\n\nTwo.")
    with pytest.raises(localising.Stale, match="The base changed again"):
        localising.upstream_take(
            actor=nurse, version=version, upstream_number=first.number,
            local_number=current.number, title=current.title, summary=current.summary,
            body=current.body,
        )  # fmt: skip
    with pytest.raises(localising.Stale, match="The base changed again"):
        localising.upstream_decline(
            actor=nurse, version=version, upstream_number=first.number, reason="Not for us."
        )
    # Someone saved a local revision after the page was shown
    _revise(version.local, nurse, summary="A local summary.")
    with pytest.raises(localising.Stale, match="Someone saved local revision"):
        localising.upstream_take(
            actor=nurse, version=version, upstream_number=first.number + 1,
            local_number=current.number, title=current.title, summary=current.summary,
            body=current.body,
        )  # fmt: skip
    assert _fresh(version).follows.number == 1
    assert not UpstreamDecision.objects.exists()


def test_declining_needs_a_reason_and_then_follows_the_new_revision(base, local, writer, nurse):
    new = _revise(base, writer, body=PATHWAY_BODY + "\n\nA national line.")
    version = _fresh(local)
    text = version.local.current.body
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Say why"):
            localising.upstream_decline(
                actor=nurse, version=version, upstream_number=new.number, reason=reason
            )
    assert _fresh(version).follows.number == 1
    decision = localising.upstream_decline(
        actor=nurse, version=version, upstream_number=new.number,
        reason="Our region has no such service.",
    )  # fmt: skip
    version = _fresh(version)
    assert version.follows == new and version.local.current.body == text
    assert decision.reason == "Our region has no such service." and decision.actor == nurse
    # Answered: a second answer to the same revision is refused
    with pytest.raises(ValidationError, match="already follows base revision"):
        localising.upstream_decline(
            actor=nurse, version=version, upstream_number=new.number, reason="Again."
        )
    assert UpstreamDecision.objects.count() == 1


def test_someone_without_an_organisation_cannot_answer(base, local, writer, no_org):
    new = _revise(base, writer, body=PATHWAY_BODY + "\n\nMore.")
    with pytest.raises(PermissionDenied):
        localising.upstream_decline(
            actor=no_org, version=_fresh(local), upstream_number=new.number, reason="No."
        )
    assert not UpstreamDecision.objects.exists()


# --- pages --------------------------------------------------------------------------------


def test_making_a_local_version_from_the_article_page(base, nurse, client_for):
    client = client_for(nurse)
    page = client.get(base.get_absolute_url()).content.decode()
    assert reverse("article_localise", kwargs={"pk": base.pk}) in page
    assert "Make a local version" in page
    response = client.post(
        reverse("article_localise", kwargs={"pk": base.pk}), {"label": "Hawke's Bay"}
    )
    version = LocalVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version.local.get_absolute_url()
    # A second try is refused with a link to the first, and nothing is made
    response = client.post(reverse("article_localise", kwargs={"pk": base.pk}), {"label": "Again"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "already has a local version" in page
    assert f'href="{version.local.get_absolute_url()}"' in page
    assert LocalVersion.objects.count() == 1
    # ...and the base page now lists it and no longer offers the action to this organisation
    page = client.get(base.get_absolute_url()).content.decode()
    assert "Hawke&#x27;s Bay</a> (Te Awa Health)" in page
    assert "Make a local version" not in page


def test_the_local_page_says_whose_it_is_and_where_it_differs(base, local, nurse, client_for):
    client = client_for(nurse)
    page = client.get(local.local.get_absolute_url()).content.decode()
    assert "This is Te Awa Health's local version of" in page
    assert f'href="{base.get_absolute_url()}"' in page
    assert "The base changed" not in page
    differs = client.get(reverse("local_differs", kwargs={"pk": local.local.pk})).content.decode()
    inline = differs.split('id="diff-inline"')[1].split("</div>")[0]
    assert "<del>Porirua</del><ins>Te Awa</ins>" in inline
    assert "<ins>, Hastings</ins>" in inline
    # An article that is not a local version has no such page
    assert client.get(reverse("local_differs", kwargs={"pk": base.pk})).status_code == 404


def test_the_upstream_page_shows_the_three_way_comparison(base, local, writer, nurse, client_for):
    _revise(base, writer, body=PATHWAY_BODY.replace("Ask about falls.", "Ask about falls twice.")
            .replace("Porirua falls clinic.", "Regional falls service."))  # fmt: skip
    client = client_for(nurse)
    page = client.get(local.local.get_absolute_url()).content.decode()
    assert "The base changed:" in page and "revision 2 now" in page
    url = reverse("upstream_compare", kwargs={"pk": local.local.pk})
    page = client.get(url).content.decode()
    upstream = page.split('id="upstream-diff"')[1].split("</div>")[0]
    assert "Ask about falls<ins> twice</ins>." in upstream
    assert "1 part of the base's changes is applied" in page
    assert "1 part changed in both" in page
    assert "Te Awa falls clinic, Hastings." in page.split("conflict-local")[1].split("</div>")[0]
    assert "Regional falls service." in page.split("conflict-upstream")[1].split("</div>")[0]
    textarea = page.split('name="body"')[1].split("</textarea>")[0]
    assert "Ask about falls twice." in textarea
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; local text" in textarea
    # Filled with the base's text in every conflict, on request
    textarea = client.get(url + "?fill=upstream").content.decode()
    textarea = textarea.split('name="body"')[1].split("</textarea>")[0]
    assert "Regional falls service." in textarea and "Hastings" not in textarea
    assert "&lt;&lt;&lt;" not in textarea


def _take_data(version, **changes):
    version = _fresh(version)
    current = version.local.current
    data = {
        "upstream": version.base.current.number,
        "local": current.number,
        "title": current.title,
        "summary": current.summary,
        "body": current.body,
        "edit_summary": "",
    }
    data.update(changes)
    return data


def test_taking_in_from_the_page(base, local, writer, nurse, client_for):
    _revise(base, writer, body=PATHWAY_BODY + "\n\nCheck vision.")
    client = client_for(nurse)
    url = reverse("upstream_take", kwargs={"pk": local.local.pk})
    body = REGIONAL + "\n\nCheck vision."
    response = client.post(url, _take_data(local, body=body))
    assert response.status_code == 302
    version = _fresh(local)
    assert version.follows.number == 2 and version.local.current.body == body
    page = client.get(version.local.get_absolute_url()).content.decode()
    assert "The base changed" not in page
    assert "Taken in base revision 2" in page
    # GET is not an answer
    assert client.get(url).status_code == 405


def test_a_stale_take_in_is_a_409_that_keeps_the_text(base, local, writer, nurse, client_for):
    _revise(base, writer, body=PATHWAY_BODY + "\n\nOne.")
    data = _take_data(local, body=REGIONAL + "\n\nOne.\n\nMy own words.")
    _revise(base, writer, body=PATHWAY_BODY + "\n\nTwo.")  # meanwhile
    response = client_for(nurse).post(reverse("upstream_take", kwargs={"pk": local.local.pk}), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The base changed again since this page was shown" in page
    assert "My own words." in page.split('name="body"')[1].split("</textarea>")[0]
    assert 'name="upstream" value="3"' in page  # saving again is made against revision 3
    assert _fresh(local).follows.number == 1


def test_declining_from_the_page_needs_a_reason_and_shows_it(
    base, local, writer, nurse, client_for
):
    _revise(base, writer, body=PATHWAY_BODY + "\n\nA national line.")
    client = client_for(nurse)
    url = reverse("upstream_decline", kwargs={"pk": local.local.pk})
    response = client.post(url, {"decline-upstream": 2, "decline-reason": ""})
    assert response.status_code == 400
    assert "Say why the local version does not take this change" in response.content.decode()
    assert _fresh(local).follows.number == 1
    response = client.post(url, {"decline-upstream": 2, "decline-reason": f"Not here {XSS}"})
    assert response.status_code == 302
    page = client.get(local.local.get_absolute_url()).content.decode()
    assert "Declined base revision 2 on" in page and "Sam Lee</a>: Not here &lt;script&gt;" in page
    assert "<script>alert" not in page


def test_people_without_an_organisation_are_refused_on_the_page(
    base, local, writer, no_org, client_for
):
    _revise(base, writer, body=PATHWAY_BODY + "\n\nMore.")
    client = client_for(no_org)
    page = client.get(reverse("upstream_compare", kwargs={"pk": local.local.pk})).content.decode()
    assert "to take this change in or decline it" in page and 'name="body"' not in page
    response = client.post(
        reverse("upstream_decline", kwargs={"pk": local.local.pk}),
        {"decline-upstream": 2, "decline-reason": "No."},
    )
    assert response.status_code == 400 and "Add your organisation" in response.content.decode()
    assert not UpstreamDecision.objects.exists()
    response = client.post(reverse("article_localise", kwargs={"pk": base.pk}), {"label": "Mine"})
    assert response.status_code == 400 and LocalVersion.objects.count() == 1


def test_what_people_write_never_becomes_markup_in_the_comparisons(
    make_article, writer, nurse, client_for
):
    base = make_article(title=f"T {XSS}", summary=f"S {XSS}", body=f"A {XSS}\n\nB.\n\nC.")
    version = localising.localise(actor=nurse, base=base, label=f"L {XSS}")
    _revise(version.local, nurse, body=f"A {XSS}\n\nB.\n\nC local {XSS}.")
    _revise(base, writer, body=f"A {XSS} more\n\nB.\n\nC base {XSS}.")
    client = client_for(nurse)
    for url in [
        version.local.get_absolute_url(),
        base.get_absolute_url(),
        reverse("local_differs", kwargs={"pk": version.local.pk}),
        reverse("upstream_compare", kwargs={"pk": version.local.pk}),
        reverse("article_localise", kwargs={"pk": base.pk}),
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url


# The extra queries of the article page: one for any article (is it a base or a local
# version?), one more on a local version (its decisions), however many there are.
@pytest.mark.parametrize("answers", [1, 6])
def test_the_local_page_costs_the_same_queries_however_many_answers(
    base, local, writer, nurse, client_for, django_assert_num_queries, settings, answers
):
    from tests.knowledge.test_views import ARTICLE_PAGE_QUERIES

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "edit": (1000, 60)}
    for n in range(answers):
        new = _revise(base, writer, body=PATHWAY_BODY + f"\n\nLine {n}.")
        localising.upstream_decline(
            actor=nurse, version=_fresh(local), upstream_number=new.number, reason=f"No {n}."
        )
    client = client_for(nurse)
    url = local.local.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES + 1):
        page = client.get(url).content.decode()
    assert f"No {answers - 1}." in page
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        client.get(base.get_absolute_url())


# --- API ----------------------------------------------------------------------------------


def test_the_api_lists_local_versions_and_a_local_versions_upstream_state(
    base, local, writer, nurse, client_for
):
    client = client_for(nurse)
    api = "/api/v1/knowledge/articles"
    [row] = client.get(f"{api}/{base.pk}/local-versions").json()
    assert row["id"] == local.local.pk and row["label"] == "Hawke's Bay"
    assert row["following_revision"] == 1 and row["pending"] is False
    new = _revise(base, writer, body=PATHWAY_BODY + "\n\nMore.")
    state = client.get(f"{api}/{local.local.pk}/upstream").json()
    assert state["base_id"] == base.pk and state["following_revision"] == 1
    assert state["base_newest_revision"] == new.number and state["pending"] is True
    localising.upstream_decline(
        actor=nurse, version=_fresh(local), upstream_number=new.number, reason="Not here."
    )
    state = client.get(f"{api}/{local.local.pk}/upstream").json()
    assert state["pending"] is False and state["following_revision"] == new.number
    assert state["decisions"][0]["reason"] == "Not here."
    assert state["decisions"][0]["by"]["name"] == "Sam Lee"
    # The base is not a local version; an article that does not exist is not either
    assert client.get(f"{api}/{base.pk}/upstream").status_code == 404
    assert client.get(f"{api}/999999/local-versions").status_code == 404


def test_a_hidden_base_offers_nothing_to_take_in(base, local, writer, nurse, steward, client_for):
    from discussion import services as discussion

    _revise(base, writer, body=PATHWAY_BODY + "\n\nSecret national line.")
    discussion.hide(actor=steward.user, item=base, reason="Copied from a paid guideline.")
    client = client_for(nurse)
    for url in [
        local.local.get_absolute_url(),
        reverse("upstream_compare", kwargs={"pk": local.local.pk}),
        reverse("local_differs", kwargs={"pk": local.local.pk}),
    ]:
        page = client.get(url).content.decode()
        assert "Secret national line" not in page and "The base changed" not in page, url
    with pytest.raises(PermissionDenied, match="base of this local version is hidden"):
        localising.upstream_decline(
            actor=nurse, version=_fresh(local), upstream_number=2, reason="No."
        )
    assert not UpstreamDecision.objects.exists()


def test_the_feed_tells_of_localising_and_answers(base, local, writer, nurse, client_for):
    new = _revise(base, writer, body=PATHWAY_BODY + "\n\nMore.")
    localising.upstream_decline(
        actor=nurse, version=_fresh(local), upstream_number=new.number, reason="Not here."
    )
    feed = client_for(writer).get(reverse("home")).content.decode()
    assert "made a local version of" in feed
    assert "declined a change to the base of" in feed and "(base revision 2)" in feed
    assert "Not here." not in feed  # the reason stays on the local page


def test_taking_in_with_the_local_text_unchanged_makes_no_revision(base, local, writer, nurse):
    # The local version already says what the base now says about referral: nothing to change
    new = _revise(base, writer, body=REGIONAL)
    version = _fresh(local)
    current = version.local.current
    decision = localising.upstream_take(
        actor=nurse, version=version, upstream_number=new.number, local_number=current.number,
        title=current.title, summary=current.summary, body=current.body,
    )  # fmt: skip
    version = _fresh(version)
    assert decision.action == "taken" and decision.local_revision is None
    assert version.follows == new and version.local.current == current


def test_a_stale_decline_is_a_409_that_keeps_the_reason(base, local, writer, nurse, client_for):
    _revise(base, writer, body=PATHWAY_BODY + "\n\nOne.")
    _revise(base, writer, body=PATHWAY_BODY + "\n\nTwo.")  # after the page was shown
    response = client_for(nurse).post(
        reverse("upstream_decline", kwargs={"pk": local.local.pk}),
        {"decline-upstream": 2, "decline-reason": "Our clinic does this already."},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The base changed again since this page was shown" in page
    assert "Our clinic does this already." in page
    assert 'name="decline-upstream" value="3"' in page
    assert not UpstreamDecision.objects.exists()


@pytest.mark.parametrize("regions", [1, 4])
def test_the_api_list_of_local_versions_costs_the_same_queries(
    base, nurse, client_for, django_assert_num_queries, regions
):
    localising.localise(actor=nurse, base=base)
    for n in range(regions - 1):
        region = ProfileFactory(organisation=OrganisationFactory(name=f"Region {n}")).user
        localising.localise(actor=region, base=base)
    client = client_for(nurse)
    url = f"/api/v1/knowledge/articles/{base.pk}/local-versions"
    client.get(url)
    # session, user, the article (with its current revision), the local versions
    with django_assert_num_queries(4):
        assert len(client.get(url).json()) == regions


def test_the_admin_shows_local_versions_and_their_decisions(base, local, writer, nurse):
    new = _revise(base, writer, body=PATHWAY_BODY + "\n\nMore.")
    localising.upstream_decline(
        actor=nurse, version=_fresh(local), upstream_number=new.number, reason="Not in our area."
    )
    writer.is_staff = writer.is_superuser = True
    writer.save()
    client = Client()
    client.force_login(writer)
    listing = client.get(reverse("admin:knowledge_localversion_changelist")).content.decode()
    assert "Hawke&#x27;s Bay" in listing
    page = client.get(reverse("admin:knowledge_localversion_change", args=[local.pk]))
    assert page.status_code == 200 and "Not in our area." in page.content.decode()


def test_the_localise_page_says_why_not_before_the_form(base, local, writer, nurse, client_for):
    url = reverse("article_localise", kwargs={"pk": base.pk})
    page = client_for(writer).get(url).content.decode()
    assert "your organisation&#x27;s own" in page and 'name="label"' not in page
    page = client_for(nurse).get(url).content.decode()
    assert "already has a local version" in page and 'name="label"' not in page
    assert f'href="{local.local.get_absolute_url()}"' in page
    third = ProfileFactory(organisation=OrganisationFactory(name="Kāpiti Care")).user
    page = client_for(third).get(url).content.decode()
    assert 'name="label"' in page and 'id="refusal"' not in page
