"""Writing a message: the compose and review pages, audiences, saved lists, district settings."""
