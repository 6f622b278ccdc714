"""Live events: stream keys, the RTMP ingest, the live HLS ladder, reconnects and the recording."""
