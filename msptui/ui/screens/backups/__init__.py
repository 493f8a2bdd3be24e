"""msptui.ui.screens.backups."""
