"""Bytes in: safe YAML, input documents, the one rows reader."""
