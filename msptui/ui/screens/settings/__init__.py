"""msptui.ui.screens.settings."""
