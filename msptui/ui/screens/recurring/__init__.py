"""msptui.ui.screens.recurring."""
