"""msptui.store.reads."""
