"""msptui.core."""
