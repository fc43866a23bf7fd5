"""Pure ingest: read departmental files, find the header, map and check cells."""
