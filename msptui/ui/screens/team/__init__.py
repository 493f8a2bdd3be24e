"""A team on one database (issue 20): this machine's technician (the board's team keys: screens/tickets/board_team.py)."""
