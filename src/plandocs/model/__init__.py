"""The vocabulary every stage shares: typed records of plans, organisations, reports and regions
(:mod:`.records`), the values written in them (:mod:`.values`) and the outcome of a fact against its plan
(:mod:`.outcomes`). Nothing here reads files or prints."""
