from core import converters
from discussion import urls as discussion_urls
from projects.views import board, pages, plan, team

converters.register()  # <id:…>: an id a database column can hold, else a 404

urlpatterns = [
    *pages.urlpatterns,
    *team.urlpatterns,
    *board.urlpatterns,
    *plan.urlpatterns,
    *discussion_urls.for_kind("project", "projects/", hideable=False),
    *discussion_urls.for_kind("project_update", "projects/updates/", hideable=False),
]
