"""Ingest: text, HTML, JSONL, directories, gzip and stdin into documents."""

from ._readers import MAX_BYTES, MAX_CHARS, SUPPORTED_SUFFIXES, decode_text, iter_documents, read_html

__all__ = ["MAX_BYTES", "MAX_CHARS", "SUPPORTED_SUFFIXES", "decode_text", "iter_documents", "read_html"]
