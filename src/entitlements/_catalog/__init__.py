"""The catalog's models, loaded, validated and cross-checked once."""
