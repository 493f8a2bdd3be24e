"""Data access: tables, sessions, queries, migrations, backups, secrets.

Never imports Textual. Screens call the functions of the submodules; they never
write SQL themselves.
"""
