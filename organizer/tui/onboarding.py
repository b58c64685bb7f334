"""The first screen on an empty database: create the group and its monthly meeting, or load the sample.

Dismisses with the new Group; the shell then opens the dashboard on it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import Button, Footer, Header, Static

from organizer.sample import load_sample
from organizer.services.checks import suggest_timezones
from organizer.services.onboarding import onboarding_problems, start_group
from organizer.services.recurrence import RULE_HINT
from organizer.tui.widgets.field import Field
from organizer.tui.widgets.form import FormScreen


class TimezoneSuggester(Suggester):
    """Completes an IANA name as it is typed ("america/tor" → "America/Toronto")."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        if len(value) < 2:
            return None
        for name in suggest_timezones(value, limit=40):
            if name.lower().startswith(value.lower()):
                return name
        return None


class OnboardingScreen(FormScreen):
    """Create the group: its name, zone, organizer, currency and monthly meeting."""

    HELP_TITLE = "Welcome"
    FORM_TITLE = "Create your group"
    SAVE_LABEL = "Create the group"
    HINT = "ctrl+s creates the group · ctrl+l loads the sample instead · ctrl+q quits"
    CANCELLABLE = False
    DEFAULT_CSS = """
    OnboardingScreen {
        align: center top;
        background: $background;
    }
    OnboardingScreen #form-box {
        width: 96;
        max-height: 1fr;
        margin: 0 0;
    }
    OnboardingScreen #welcome {
        width: 96;
        max-width: 100%;
        height: auto;
        padding: 0 1;
    }
    OnboardingScreen #welcome Static {
        width: 1fr;
        height: auto;
    }
    OnboardingScreen #welcome Button {
        margin: 0 0 0 1;
    }
    OnboardingScreen .form-heading {
        margin: 1 0 0 0;
        text-style: bold;
        color: $accent;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Create"),
        Binding("ctrl+l", "load_sample", "Load the sample group"),
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("f1", "app.help", "Help", key_display="F1"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="welcome"):
            yield Static(
                "[b]Welcome to Organizer.[/b] This database has no group yet: create yours "
                "below, or look around first with the sample group (a Kitchener circle).",
            )
            yield Button("Load the sample group (ctrl+l)", id="load-sample")
        yield from super().compose()
        yield Footer()

    def build_fields(self) -> list:
        return [
            Static("The group", classes="form-heading"),
            Field("name", "Group name", placeholder="e.g. Lakeside Connectors"),
            Field(
                "timezone",
                "Timezone",
                placeholder="e.g. America/Toronto (→ completes)",
                suggester=TimezoneSuggester(),
                hint="where the group meets: an IANA name; → accepts a completion",
            ),
            Field("organizer_name", "Organizer", placeholder="your name"),
            Field(
                "organizer_email",
                "Organizer email",
                placeholder="name@example.com",
                hint="invites are sent from this address",
            ),
            Field("currency", "Currency", value="CAD", hint="ISO code: CAD, EUR, USD…"),
            Field(
                "country",
                "Holidays of",
                placeholder="e.g. DE-BY, CA-ON, US (blank: none)",
                hint="public holidays are flagged under your meetings",
            ),
            Static("The meetings", classes="form-heading"),
            Field("rule", "Meets on the", value="2nd tuesday", hint=RULE_HINT),
            Field("at", "At", value="07:30", hint="local time, HH:MM"),
            Field("minutes", "Minutes", value="90"),
            Field(
                "starts_on",
                "First meeting",
                placeholder="YYYY-MM-DD",
                hint="empty: the first date under the rule from today",
            ),
        ]

    def problems(self, values: dict) -> dict[str, str]:
        _, errors = onboarding_problems(values, now=self.app.clock())
        if "timezone" in errors and values.get("timezone"):
            near = suggest_timezones(values["timezone"].strip(), limit=3)
            if near:
                errors["timezone"] += " — did you mean " + ", ".join(near) + "?"
        return errors

    def save(self, values: dict):
        return start_group(values, now=self.app.clock())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "load-sample":
            event.stop()
            self.action_load_sample()
        else:
            super().on_button_pressed(event)

    def action_load_sample(self) -> None:
        self.dismiss(load_sample(now=self.app.clock(), shift_to_today=True))

    def action_cancel(self) -> None:
        self.set_status("Create the group (ctrl+s) or load the sample (ctrl+l); ctrl+q quits.")
