from core import converters

converters.register()  # <id:…>: an id a database column can hold, else a 404

from commons.views import (  # noqa: E402 - after the converter its patterns use
    access,
    links,
    public,
    steward,
)

# The public pages go last: their ``data/<slug>/`` would otherwise take ``data/cite/`` and the
# other fixed addresses under ``data/`` for a dataset's slug (services refuse those as slugs).
urlpatterns = [
    *access.urlpatterns,
    *steward.urlpatterns,
    *links.urlpatterns,
    *public.urlpatterns,
]
