"""msptui.ui.screens.clients."""
