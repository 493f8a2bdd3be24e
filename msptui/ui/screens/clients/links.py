"""From the client on the line to its other records: projects, conflicts, statement, service report.

Mixed into the client browser, which has `client` (None while nothing is selected).
"""

from __future__ import annotations

from typing import Any


class ClientLinks:
    """The browser's `p`, `i`, `s` and `R`: each opens another area's screen for the selected client."""

    client: Any
    app: Any

    def action_engagements(self) -> None:
        """The client's engagements (projects) and their competence checks."""
        if self.client is not None:
            from msptui.ui.screens.engagements.overview import EngagementsScreen

            self.app.push_screen(EngagementsScreen(client_id=self.client.id))

    def action_conflicts(self) -> None:
        """The conflict-of-interest register, for this client."""
        if self.client is not None:
            from msptui.ui.screens.conflicts.register import ConflictsScreen

            self.app.push_screen(ConflictsScreen(client_id=self.client.id))

    def action_statement(self) -> None:
        """The client's statement of activity (last month first; [ and ] to move)."""
        if self.client is not None:
            from msptui.ui.screens.billing.statement import StatementScreen

            self.app.push_screen(StatementScreen(self.client.id))

    def action_report(self) -> None:
        """The client's service report (this month; [ and ] to move)."""
        if self.client is not None:
            from msptui.ui.screens.reports.report import ReportScreen

            self.app.push_screen(ReportScreen(self.client.id))
