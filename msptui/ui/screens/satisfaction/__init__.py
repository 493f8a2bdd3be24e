"""msptui.ui.screens.satisfaction: the client's score at a ticket's close and at a delivery."""
