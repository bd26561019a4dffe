"""The commons outcome data's pages, one module per audience: ``public`` (everyone: datasets,
indicators, exports), and the modules for stewards and for restricted access as they come. Each
has its ``urlpatterns``, gathered in ``commons/urls.py``."""
