"""Reviews suggested by events elsewhere (issue 12): the receivers of the signals that the
commons and projects send.

``knowledge`` sits above ``commons`` and ``projects`` in the layers, so they cannot call us;
they send a signal (``commons.signals.version_published``, ``projects.signals.outcome_changed``)
inside their own transaction, and these receivers mark the linked articles there — a rolled
back publication or closure marks nothing. Connected once in ``KnowledgeConfig.ready()``.
"""

from typing import Any

from django.urls import reverse

from knowledge import links, verification
from projects import signals as project_signals


def on_version_published(*, version: Any, **_: Any) -> int:
    """Every article linked to any indicator of the version's dataset: its figures may have
    changed. Published data is public, so the dataset's title is named."""
    dataset = version.dataset
    return verification.version_published(
        links.articles_citing(dataset_id=dataset.pk),
        dataset_title=dataset.title,
        version_number=version.number,
        url=reverse("commons_version", args=[dataset.slug, version.number]),
    )


def what_changed(*, project: Any, change: str, measure: Any) -> str:
    """The sentence an article's readers see. A restricted project's name, and its measures',
    are for its members only, while an article is read by everyone: then the sentence names
    neither."""
    if project.restricted:
        if change == project_signals.COMPLETED:
            return "A linked project was completed"
        return "A linked project changed its outcome measures"
    title = f"“{project.title}”"
    if change == project_signals.COMPLETED:
        return f"{title} was completed"
    name = f"“{measure.name}”"
    if change == project_signals.MEASURE_ADDED:
        return f"{title} added the outcome measure {name}"
    if change == project_signals.READING_ADDED:
        return f"{title}'s outcome measure {name} has a new reading"
    return f"{title}'s outcome measure {name} changed"


def on_outcome_changed(*, project: Any, change: str, measure: Any = None, **_: Any) -> int:
    """Every article linked to the project. The link goes to the project page when it
    completed (its closure report is there), to its outcomes page when a measure changed."""
    page = "project_detail" if change == project_signals.COMPLETED else "project_outcomes"
    return verification.project_outcome_changed(
        links.articles_using(target=project),
        what=what_changed(project=project, change=change, measure=measure),
        url=reverse(page, kwargs={"pk": project.pk}),
    )


def connect() -> None:
    """Called from ``KnowledgeConfig.ready()``; the dispatch ids keep a second call harmless."""
    from commons import signals as commons_signals

    commons_signals.version_published.connect(
        on_version_published, dispatch_uid="knowledge.review_on_version_published"
    )
    project_signals.outcome_changed.connect(
        on_outcome_changed, dispatch_uid="knowledge.review_on_outcome_changed"
    )
