"""GoLive: self-hosted live and on-demand video events."""

__version__ = "0.1.0"
