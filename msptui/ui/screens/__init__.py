"""One package per area; a screen reads and writes msptui.store through its own workers (msptui.ui.workers)."""
