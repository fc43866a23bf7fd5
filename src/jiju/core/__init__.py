"""Pure domain core: codes, units and periods. Never imports Django."""
