"""Export: event records to the terminal, JSONL, CSV, Parquet and the field's formats (GDELT, ICEWS, PLOVER)."""

from ._flat import FLAT_COLUMNS, flat_event, write_parquet
from ._formats import (
    EXPORT_FORMATS,
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    ISO3_TO_FIPS,
    export_store,
    gdelt_row,
    icews_row,
    plover_record,
    read_gdelt,
    write_events,
    write_query_result,
)
from ._table import print_table

__all__ = [
    "EXPORT_FORMATS",
    "FLAT_COLUMNS",
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "ISO3_TO_FIPS",
    "export_store",
    "flat_event",
    "gdelt_row",
    "icews_row",
    "plover_record",
    "print_table",
    "read_gdelt",
    "write_events",
    "write_parquet",
    "write_query_result",
]
