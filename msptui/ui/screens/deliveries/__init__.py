"""msptui.ui.screens.deliveries."""
