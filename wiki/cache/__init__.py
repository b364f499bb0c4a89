"""What is kept between requests, and the one signal that tells when it is stale.

- `version`: the data version, a token in the database that every transaction changing
  something readers see replaces when it commits (any worker, any machine on the database).
- `pages`: whole pages for anonymous visitors (the same for all of them).
- `fragments`: parts of members' pages that are the same for every reader who has the same
  values of what the rendering read (recorded, not listed), and small lists every page shows.
Everything kept is keyed by the data version: a write makes it unreachable at once.
"""
