"""One module per screen; each reads and writes through msptui.store via App.call_store."""
