"""User-written Markdown → safe HTML: render (markdown-it, raw HTML off), then sanitise (nh3).

Sanitising after rendering is what makes it safe: whatever the Markdown produced, only the
allowed tags and attributes survive, links keep only http(s)/mailto, and every link gets
``rel="nofollow noopener noreferrer"``.
"""

import re
from urllib.parse import quote

import nh3
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# ``@HannahMcKenzie``: a mention of a person by their handle (people.selectors finds them).
MENTION_RE = re.compile(r"(?<![\w@])@([^\W_][\w.\-']{1,60})")


def _mention_links(state: StateCore) -> None:
    """``@HannahMcKenzie`` in running text → a link to the person it names.

    The link goes to ``/people/mention/?handle=…``, which finds the person the same way
    notifications do (``people.selectors.mentioned_users``) and redirects to their profile: the
    renderer makes no query, so a page of comments costs the same however many mentions it
    holds. Only text is linked — not code, and not text already inside a link. What a person
    typed is the link's text; the handle is percent-encoded in the address; both are escaped
    by the renderer and then pass the sanitiser like every other link."""
    base = reverse("people_mention")
    for block in state.tokens:
        if block.type != "inline" or not block.children or "@" not in block.content:
            continue
        children: list[Token] = []
        depth = 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type != "text" or depth > 0 or "@" not in token.content:
                children.append(token)
                continue
            text, at = token.content, 0
            for match in MENTION_RE.finditer(text):
                handle = match.group(1).rstrip(".-'")
                start, end = match.start(), match.start(1) + len(handle)
                if start > at:
                    children.append(_text(text[at:start], token.level))
                link = Token("link_open", "a", 1, level=token.level)
                link.attrs = {"href": f"{base}?handle={quote(handle)}", "class": "mention"}
                children += [
                    link,
                    _text(text[start:end], token.level + 1),
                    Token("link_close", "a", -1, level=token.level),
                ]
                at = end
            if at < len(text):
                children.append(_text(text[at:], token.level))
        block.children = children


def _text(content: str, level: int) -> Token:
    token = Token("text", "", 0, level=level)
    token.content = content
    return token


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_md.core.ruler.push("mention_links", _mention_links)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    # Headings a person writes sit below the page's own h1/h2.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        allowed_classes={"a": {"mention"}},
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
