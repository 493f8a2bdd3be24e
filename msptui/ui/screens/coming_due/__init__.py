"""msptui.ui.screens.coming_due: what the registers of issue 18 share."""
