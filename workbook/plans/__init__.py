"""Workshop plans: which lessons a room works through, in which order, with which parts and
minutes, and the facilitator's own prompts and rating statements.

`model` (the Plan), `apply` (a plan made into the workshop's lessons), `files` (plan files:
lessons/plans/*.yaml, uploads and downloads), `edit` (the changes the plan editor makes).
"""

from workbook.plans.apply import apply_plan, everything, keep_own_items, plan_problems, step_moves
from workbook.plans.files import PlanSet, load_plans, plan_yaml, plans_folder, read_plan
from workbook.plans.model import Plan, PlanStep, minutes_line

__all__ = [
    "Plan",
    "PlanSet",
    "PlanStep",
    "apply_plan",
    "everything",
    "keep_own_items",
    "load_plans",
    "minutes_line",
    "plan_problems",
    "plan_yaml",
    "plans_folder",
    "read_plan",
    "step_moves",
]
