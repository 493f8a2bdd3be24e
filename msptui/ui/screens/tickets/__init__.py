"""msptui.ui.screens.tickets."""
