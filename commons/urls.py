from core import converters

converters.register()  # <id:…>: an id a database column can hold, else a 404

from commons.views import urlpatterns  # noqa: E402 - after the converter it uses

__all__ = ["urlpatterns"]
