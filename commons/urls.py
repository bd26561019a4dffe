from core import converters

converters.register()  # <id:…>: an id a database column can hold, else a 404

from commons.views import public, steward  # noqa: E402 - after the converter its patterns use

urlpatterns = [
    *public.urlpatterns,
    *steward.urlpatterns,
]
