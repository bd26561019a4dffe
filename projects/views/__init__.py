"""Thin views: parse the form, call one service or selector, render.

One module per part of a project: ``pages`` (portfolio, the project, its status and scope),
``team``, ``board``, ``plan`` (milestones, updates, decisions, risks, outcome measures). Each
module's ``urlpatterns`` are gathered in ``projects/urls.py``."""

from core import converters

converters.register()  # <id:…> in the modules' urlpatterns: an id a column can hold, else 404

from projects.views.pages import project_page, update_page  # noqa: E402

__all__ = ["project_page", "update_page"]
