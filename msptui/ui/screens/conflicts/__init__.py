"""msptui.ui.screens.conflicts."""
