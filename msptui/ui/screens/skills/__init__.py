"""msptui.ui.screens.skills."""
