"""When the demo's records happen.

The demo district has two layers. The fixed history (2024, 2025 and the 2025 report started on
15 January 2026) is dated absolutely and is the same whatever day the demo is generated. The live
layer (today's joint operation, the complaints of the last days, the intake open now) is placed
relative to the moment the demo is generated, and never after it: an act dated in the future is
refused by the actions (a contact, an arrival) or, worse, accepted and shown as done before it
was. `Live` is that moment, taken once, and the one way the live layer dates anything."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

# The fixed history ends here; the live layer starts after it. The demo needs a clock later than this.
HISTORY_END = dt.date(2026, 1, 15)


def aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """`day` at `hour:minute`, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day drawn evenly from first..last inclusive (one draw, whatever the dates)."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


@dataclass(frozen=True)
class Live:
    """The instant the live layer is generated at."""

    now: dt.datetime

    @classmethod
    def at(cls, now: dt.datetime | None = None) -> Live:
        now = timezone.localtime(now or timezone.now())
        if now.date() <= HISTORY_END:
            raise ValueError(f"the demo's fixed history runs to {HISTORY_END}; generate it on a later date "
                             f"(the clock says {now:%Y-%m-%d %H:%M})")
        return cls(now)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def days_ago(self, days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        """`days` before today at `hour:minute`, or just before now where that would be later."""
        return self.not_after(aware(self.today - dt.timedelta(days=days), hour, minute))

    def not_after(self, moment: dt.datetime, margin: dt.timedelta = dt.timedelta(minutes=1)) -> dt.datetime:
        """`moment`, or `margin` before now where `moment` is later."""
        return min(moment, self.now - margin)

    @property
    def since(self) -> dt.date:
        """The first day of the live layer's registers: the day after the history, at most a year back."""
        return max(HISTORY_END + dt.timedelta(days=1), self.today - dt.timedelta(days=365))
