"""The knowledge API: articles, revisions and diffs, read as JSON."""

import pytest
from django.test import Client

from discussion import services as discussion
from knowledge import services
from knowledge.api import ArticleKind
from knowledge.models import Article

API = "/api/v1"


@pytest.fixture
def api(nurse):
    client = Client()
    client.force_login(nurse)
    return client


@pytest.fixture
def article(make_article, nurse):
    article = make_article(body="Refer to the falls clinic.")
    services.revision_save(
        actor=nurse, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Refer to the memory clinic.", edit_summary="memory",
    )  # fmt: skip
    return article


def test_articles_list_and_detail(api, article, make_article):
    make_article(kind="lesson", title="A lesson")
    items = api.get(f"{API}/knowledge/articles").json()["items"]
    assert [i["title"] for i in items] == ["A lesson", article.title]
    assert [
        i["title"] for i in api.get(f"{API}/knowledge/articles?kind=lesson").json()["items"]
    ] == ["A lesson"]
    detail = api.get(f"{API}/knowledge/articles/{article.pk}").json()
    assert detail["current_revision"] == 2
    assert detail["body"] == "Refer to the memory clinic."
    assert detail["last_edited_by"]["name"] == "Sam Lee"
    assert detail["last_edited_by"]["organisation"]["name"] == "Te Awa Health"
    assert [(c["name"], c["organisation"]["name"]) for c in detail["coauthors"]] == [
        ("Aroha Ngata", "Porirua Whānau Centre"),
        ("Sam Lee", "Te Awa Health"),
    ]


def test_revisions_list_detail_and_diff(api, article):
    revisions = api.get(f"{API}/knowledge/articles/{article.pk}/revisions").json()
    assert [r["number"] for r in revisions["items"]] == [2, 1]
    assert revisions["items"][0]["edit_summary"] == "memory"
    one = api.get(f"{API}/knowledge/articles/{article.pk}/revisions/1").json()
    assert one["body"] == "Refer to the falls clinic."
    changes = api.get(
        f"{API}/knowledge/articles/{article.pk}/diff?from_revision=1&to_revision=2"
    ).json()
    assert changes["body"] == [
        {"op": "equal", "text": "Refer to the "},
        {"op": "delete", "text": "falls"},
        {"op": "insert", "text": "memory"},
        {"op": "equal", "text": " clinic."},
    ]
    assert changes["words_added"] == 1 and changes["words_removed"] == 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/revisions/99", 404),
        ("/revisions/0", 422),
        ("/revisions/" + "9" * 30, 422),
        ("/diff?from_revision=1", 422),
        ("/diff?from_revision=1&to_revision=x", 422),
        ("/diff?from_revision=1&to_revision=99", 404),
        ("/revisions?cursor=forged", 422),
    ],
)
def test_bad_numbers_are_clear_4xx(api, article, path, status):
    response = api.get(f"{API}/knowledge/articles/{article.pk}{path}")
    assert response.status_code == status
    assert "detail" in response.json()


def test_an_unknown_article_is_404_and_no_session_is_401(api, article):
    assert api.get(f"{API}/knowledge/articles/{article.pk + 100}").status_code == 404
    assert Client().get(f"{API}/knowledge/articles").status_code == 401
    assert Client().get(f"{API}/knowledge/articles/{article.pk}/revisions").status_code == 401


def test_a_hidden_article_is_not_listed_and_gives_no_text(api, article, steward):
    discussion.hide(actor=steward.user, item=article, reason="Names a client")
    assert api.get(f"{API}/knowledge/articles").json()["items"] == []
    detail = api.get(f"{API}/knowledge/articles/{article.pk}").json()
    assert detail["body"] is None and detail["summary"] is None
    assert detail["hidden"]["reason"] == "Names a client"
    assert api.get(f"{API}/knowledge/articles/{article.pk}/revisions/1").status_code == 404


def test_the_list_costs_one_query_whatever_its_length(
    api, make_article, django_assert_num_queries, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (100, 60)}
    for i in range(5):
        make_article(title=f"Article {i}")
    api.get(f"{API}/knowledge/articles")
    with django_assert_num_queries(3):  # session, user, the articles
        assert len(api.get(f"{API}/knowledge/articles").json()["items"]) == 5
    for i in range(5, 15):
        make_article(title=f"Article {i}")
    with django_assert_num_queries(3):
        assert len(api.get(f"{API}/knowledge/articles").json()["items"]) == 15


def test_script_in_the_text_is_escaped_in_body_html(api, make_article):
    article = make_article(body="<script>alert(1)</script> **bold**")
    detail = api.get(f"{API}/knowledge/articles/{article.pk}").json()
    assert "<script" not in detail["body_html"] and "<strong>bold</strong>" in detail["body_html"]


def test_the_api_kinds_are_the_models(api):
    schemas = api.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert schemas["ArticleKind"]["enum"] == list(Article.Kind.values)
    assert [k.value for k in ArticleKind] == list(Article.Kind.values)


def test_the_openapi_document_lists_the_knowledge_endpoints(api):
    paths = api.get(f"{API}/openapi.json").json()["paths"]
    article = f"{API}/knowledge/articles/{{article_id}}"
    assert {p: set(ops) for p, ops in paths.items() if p.startswith(f"{API}/knowledge")} == {
        f"{API}/knowledge/articles": {"get"},
        article: {"get"},
        f"{article}/comments": {"get", "post"},
        f"{article}/revisions": {"get"},
        f"{article}/revisions/{{number}}": {"get"},
        f"{article}/diff": {"get"},
        f"{article}/links": {"get"},
        f"{article}/feedback": {"get", "post"},
        f"{article}/local-versions": {"get"},
        f"{article}/upstream": {"get"},
        f"{article}/verifications": {"get"},
    }
