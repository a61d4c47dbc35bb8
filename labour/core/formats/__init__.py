"""The platform's one way of writing dates (FORMAT_MODULE_PATH): 2026-12-05 and
2026-12-05 14:30, so that even a bare {{ date }} in a template shows it."""
