"""msptui.ui.screens.engagements."""
