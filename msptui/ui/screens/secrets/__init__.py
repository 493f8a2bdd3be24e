"""msptui.ui.screens.secrets."""
