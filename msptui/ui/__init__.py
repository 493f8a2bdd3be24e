"""msptui.ui."""
