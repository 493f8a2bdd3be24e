"""msptui.ui.screens.renewals."""
