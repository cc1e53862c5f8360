"""Doorstep (家门口): one door, one person, every matter."""
