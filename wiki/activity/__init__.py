"""What happens in the wiki, as its readers may see it: recent changes, their feeds."""
