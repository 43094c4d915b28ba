"""Following the news (issue 8): feeds and article pages into the store, and alerts.

- ``feeds``: `marsad follow FEEDS`: poll RSS/Atom feeds, fetch new articles, store and code them.
- ``http``: the polite client (user agent, per-host spacing, timeouts, retries with back-off).
- ``article``: decode a page and extract its title, main text and date.
- ``state``: the follow tables (feeds, items, watches, outbox), added by the store's migrations.
- ``alerts``: saved watches, matching of new events, webhook delivery through an outbox;
  ``alerts.list_notifications(store)`` is what the web app lists.
"""
