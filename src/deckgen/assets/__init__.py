"""The picture stages: everything between a parsed deck's picture URLs and the files the writers embed.

- ``resolve``: the assets stage (parse -> layout): every picture found (a local file, the cache or
  a download), probed, and attached to the deck as an ``Asset``;
- ``fetch``: HTTP downloads under one policy (timeouts, retries, size cap, User-Agent);
- ``cache``: the on-disk, content-addressed cache of originals and renditions;
- ``images``: what a picture is (from its bytes) and how it is converted;
- ``renditions``: after the layout, each placed picture drawn once at the pixels its box needs.
"""
