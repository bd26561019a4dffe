"""The admin reads the commons; it does not write outcome data. Versions come only through
``services.import_version`` (all-or-nothing, steward only) and their observations are never
edited by hand, so those pages are read-only."""

from typing import Any

from django.contrib import admin

from commons.models import Code, Dataset, Dimension, Indicator, Observation, Series, Version


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ("position", "code", "name", "role")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "code", "name", "kind", "unit", "base")
    raw_id_fields = ("base",)


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("title", "steward", "method", "maori_data", "updated")
    list_filter = ("method", "maori_data")
    search_fields = ("title", "slug", "source_name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("steward",)
    readonly_fields = ("created_by", "created", "updated")
    inlines = [DimensionInline, IndicatorInline]


@admin.register(Code)
class CodeAdmin(ReadOnly):
    list_display = ("label", "code", "dimension", "position", "is_total", "starts_on")
    list_filter = ("is_total",)
    search_fields = ("code", "label")
    list_select_related = ("dimension",)


@admin.register(Series)
class SeriesAdmin(ReadOnly):
    list_display = ("label", "key", "dataset")
    search_fields = ("label", "key")
    list_select_related = ("dataset",)


@admin.register(Version)
class VersionAdmin(ReadOnly):
    list_display = ("dataset", "number", "status", "imported_by", "imported_at", "cell_count")
    list_filter = ("status",)
    list_select_related = ("dataset", "imported_by")


@admin.register(Observation)
class ObservationAdmin(ReadOnly):
    list_display = ("version", "indicator", "area", "series", "period", "value", "status")
    list_select_related = ("version__dataset", "indicator", "area", "series", "period")
    list_filter = ("status", "publisher_suppressed")
    show_full_result_count = False
