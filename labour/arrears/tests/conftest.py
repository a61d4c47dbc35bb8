"""The payroll tests' world (a project, its general contractor, a labour
subcontractor's team 木工班 with workers in and out around October 2026) and its
stopped clock, reused as they are."""

from labour.payroll.tests.conftest import november_20th, world  # noqa: F401
