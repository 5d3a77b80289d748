"""Checks run by ``osehw check`` (and recorded by ``osehw build``): a registry of functions
from a built design to findings (code, severity, subject, message), after ezdxf's Auditor."""

from __future__ import annotations

from typing import Callable

from osehw.design import Design, Finding
from osehw.registry import Registry

Check = Callable[[Design], list[Finding]]
CHECKS: Registry[Check] = Registry("check")


def register(name: str) -> Callable[[Check], Check]:
    def wrap(fn: Check) -> Check:
        CHECKS.register(name, fn)
        return fn

    return wrap


def run_checks(design: Design) -> list[Finding]:
    from osehw.checks import geometry, thermal  # noqa: F401  (each registers its checks)

    findings = list(design.findings)
    for name in CHECKS:
        findings.extend(CHECKS.get(name)(design))
    return findings
