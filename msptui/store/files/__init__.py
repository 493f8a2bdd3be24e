"""msptui.store.files."""
