"""From the client on the line to its other records: projects, conflicts, statement, service report,
recurring tasks, renewals and data breaches.

Mixed into the client browser, which has `client` (None while nothing is selected).
"""

from __future__ import annotations

from typing import Any


class ClientLinks:
    """The browser's `p`, `i`, `s`, `R`, `m`, `r` and `d`: each opens another area's screen for the selected client."""

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

    # --- issue 18: what comes due -----------------------------------------------------------

    def action_recurring(self) -> None:
        """The client's recurring maintenance tasks."""
        if self.client is not None:
            from msptui.ui.screens.recurring.register import RecurringTasksScreen

            self.app.push_screen(RecurringTasksScreen(self.client.id))

    def action_renewals(self) -> None:
        """The client's renewals: licences, certificates, domains, support, warranties."""
        if self.client is not None:
            from msptui.ui.screens.renewals.register import RenewalsScreen

            self.app.push_screen(RenewalsScreen(self.client.id))

    def action_breaches(self) -> None:
        """The client's data breach register."""
        if self.client is not None:
            from msptui.ui.screens.breaches.register import BreachesScreen

            self.app.push_screen(BreachesScreen(self.client.id))
