"""User Markdown is rendered and then sanitised: no payload in this corpus stays executable."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from discussion import services as discussion
from ideas import services

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="4"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<form action="https://evil.example"><button>Go</button></form>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "[entity](&#106;avascript:alert(1))",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    '<details open ontoggle="alert(1)">',
    '<body onload="alert(1)">',
    "<input autofocus onfocus=alert(1)>",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<p title="</p><script>alert(1)</script>">x</p>',
    "`<script>alert(1)</script>`",
]

BANNED_TAGS = {"script", "svg", "math", "iframe", "object", "embed", "style", "form", "input",
               "button", "details", "body", "img"}  # fmt: skip


class Finder(HTMLParser):
    """Collects anything executable in a fragment of user content."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BANNED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "data"} and value:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                if ":" in value and scheme not in {"http", "https", "mailto"}:
                    self.problems.append(f"{tag}[{name}={value[:30]}]")


def executable_bits(html: str) -> list[str]:
    finder = Finder()
    finder.feed(html)
    return finder.problems


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_rendered_markdown_has_nothing_executable(payload):
    assert executable_bits(str(render_markdown(payload))) == []


def test_safe_markdown_still_renders():
    html = str(render_markdown("# Heading\n\n**bold** and [a link](https://example.org)\n\n- one"))
    assert "<h3>Heading</h3>" in html and "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html


class UserContent(HTMLParser):
    """Only the parts of a page that hold what people wrote (.prose blocks)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)  # keep &lt; as text, as the browser would
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self.depth or "prose" in classes.split():
            self.depth += 1
            self.chunks.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.chunks.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.chunks.append(data)

    def handle_entityref(self, name):
        if self.depth:
            self.chunks.append(f"&{name};")

    def handle_charref(self, name):
        if self.depth:
            self.chunks.append(f"&#{name};")


@pytest.mark.django_db
def test_corpus_through_ideas_problems_and_comments_pages(client, person, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10_000, 60))
    body = "\n\n".join(XSS_CORPUS)
    problem = services.problem_create(
        author=person.user, title="<script>alert(1)</script>", description=body, affected="x"
    )
    idea = services.idea_create(
        author=person.user, title='"><img src=x onerror=alert(1)>', summary="<svg onload=1>",
        body=body, benefit="<script>1</script>", problem=problem,
    )  # fmt: skip
    for payload in XSS_CORPUS:
        discussion.comment_create(author=person.user, target=idea, body=payload)
        discussion.comment_create(author=person.user, target=problem, body=payload)
    client.force_login(person.user)
    for url in (idea.get_absolute_url(), problem.get_absolute_url()):
        html = client.get(url).content.decode()
        parser = UserContent()
        parser.feed(html)
        user_html = "".join(parser.chunks)
        assert len(parser.chunks) > 50  # the content is there, rendered
        assert executable_bits(user_html) == [], url
        # Titles and plain fields are escaped by the templates.
        assert "<img src=x onerror=alert(1)>" not in html
        assert "<script>alert(1)</script>" not in html
    listing = client.get(reverse("idea_list")).content.decode()
    assert "<img src=x onerror" not in listing and "<svg onload" not in listing
