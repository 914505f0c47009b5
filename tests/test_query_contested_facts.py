"""queries/contested-facts.rq: facts resting on weak claims or on claims that differ."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def test_contested_and_weak_facts(ask: Ask) -> None:
    assert ask("contested-facts") == [
        {"node": "kgr:treaty-1961-ussr-dprk", "issue": "contested end",
         "value": "1995-09-07 (day)", "claim": "kgr:claim-gibler-1961-end-1995",
         "claimant": "kgr:src-gibler-2009", "stance": "kgv:asserts"},
        {"node": "kgr:treaty-1961-ussr-dprk", "issue": "contested end",
         "value": "1996-09 (month)", "claim": "kgr:claim-gibler-1961-not-renewed-1996",
         "claimant": "kgr:src-gibler-2009", "stance": "kgv:asserts"},
        {"node": "kgr:transfer-china-russia-via-north-korea",
         "issue": "weak: no claim that holds supports it", "value": "",
         "claim": "kgr:claim-observers-suspect-china", "claimant": "kgr:some-observers",
         "stance": "kgv:suspects"},
    ]
