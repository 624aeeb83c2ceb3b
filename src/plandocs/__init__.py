"""plandocs: official plans and reports of Ukrainian public bodies, from YAML in git."""

__version__ = "0.1.0"
