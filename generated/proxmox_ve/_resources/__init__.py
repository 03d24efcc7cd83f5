"""Generated resource classes, one module each, imported on first use."""
