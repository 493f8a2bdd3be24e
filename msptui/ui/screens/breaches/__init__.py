"""msptui.ui.screens.breaches."""
