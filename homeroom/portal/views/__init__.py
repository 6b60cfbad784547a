"""Family portal pages, one module per area (children, family, messages, staff)."""
