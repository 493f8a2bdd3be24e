"""msptui.ui.screens.contracts."""
