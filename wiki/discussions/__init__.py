"""Discussions below pages and sheets: comments, replies one level deep, moderation."""
