"""Two-way messaging: portal threads, staff answers, inbound texts and email replies, attachments."""
