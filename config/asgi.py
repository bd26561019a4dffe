"""ASGI entry point: HTTP through Django; websockets through Channels (origin-checked)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from realtime.consumers import DaphneWire  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = DaphneWire(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)

# Everything imported so far lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise pause fan-out to thousands of sockets (bench/fanout).
gc.freeze()
