"""Export: event records to the terminal, JSONL, CSV, Parquet and the field's formats (GDELT, ICEWS, PLOVER)."""

from ._flat import FLAT_COLUMNS, flat_event, write_parquet
from ._table import print_table

__all__ = ["FLAT_COLUMNS", "flat_event", "print_table", "write_parquet"]
