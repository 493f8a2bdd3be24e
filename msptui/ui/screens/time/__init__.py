"""msptui.ui.screens.time: the running timer's keys, the time entry form, a ticket's entries."""
