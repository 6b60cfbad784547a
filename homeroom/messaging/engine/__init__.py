"""Sending: plan and persist deliveries, dispatch them, record outcomes and queue follow-ups."""
