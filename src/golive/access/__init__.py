"""Access: who may watch, chat or moderate what, and why not (grants and the one decision)."""
