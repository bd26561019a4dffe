"""Articles in the one search across kinds (/search/): found by their title, summary, tags and
newest text, with and without macrons and with one slip; a word edited away is no longer
found; a hidden article is found by nobody; the article kind has its own filter."""

import pytest
from django.urls import reverse

from discussion import services as discussion
from knowledge import services


def found(client, q, kind=""):
    response = client.get(reverse("search"), {"q": q, "kind": kind})
    assert response.status_code == 200
    return {g.kind.key: {h.title for h in g.hits} for g in response.context["results"].groups}


@pytest.fixture
def articles(make_article, nurse):
    return {
        "handover": make_article(),  # "whānau" is its tag; "handovers" in its title
        "pathway": make_article(
            actor=nurse,
            title="Falls after discharge",
            summary="What to check before an older person goes home.",
            body="Ask the whānau who will be at home on the first night.\n\nBook the "
            "interpreter when the appointment is booked.",
            tags=[],
        ),
    }


@pytest.mark.django_db
def test_articles_are_found_by_their_text_with_or_without_macrons_and_one_slip(
    client, writer, articles
):
    client.force_login(writer)
    both = {"Warm handovers between agencies", "Falls after discharge"}
    assert found(client, "whanau")["article"] == both == found(client, "WHĀNAU")["article"]
    assert found(client, "intrepreter") == {"article": {"Falls after discharge"}}
    assert found(client, "whanau", kind="article") == {"article": both}


@pytest.mark.django_db
def test_only_the_newest_text_is_searched(client, writer, nurse, articles):
    article = articles["pathway"]
    services.revision_save(
        actor=writer, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Check the medicines list with the pharmacist.",
        edit_summary="Shorter",
    )  # fmt: skip
    client.force_login(nurse)
    assert "article" not in found(client, "interpreter")
    assert found(client, "pharmacist") == {"article": {"Falls after discharge"}}


@pytest.mark.django_db
def test_a_hidden_article_is_found_by_nobody(client, writer, steward, articles):
    discussion.hide(actor=steward.user, item=articles["pathway"], reason="Copied from a manual.")
    for someone in (writer, steward.user):
        client.force_login(someone)
        assert found(client, "whanau")["article"] == {"Warm handovers between agencies"}
    assert "article" not in found(client, "intrepreter")


@pytest.mark.django_db
def test_an_article_hit_escapes_its_title_and_links_to_the_article(client, writer, make_article):
    article = make_article(title="<script>alert(1)</script> whānau notes", tags=[])
    client.force_login(writer)
    html = client.get(reverse("search"), {"q": "whanau notes"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'href="{article.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_a_local_version_is_found_by_its_own_text(client, writer, nurse, make_article):
    from knowledge import localising

    base = make_article(
        kind="pathway", title="Falls clinic pathway", tags=[],
        body="## Assessment\n\nAsk.\n\n## Management\n\nReview.\n\n## Referral\n\nThe gait clinic.",
    )  # fmt: skip
    version = localising.localise(actor=nurse, base=base, label="Porirua")
    client.force_login(writer)
    assert found(client, "gait", kind="article") == {
        "article": {"Falls clinic pathway", version.local.title}
    }
