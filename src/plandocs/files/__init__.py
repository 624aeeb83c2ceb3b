"""Conventions about files, each in one place: what kind a file is, where plans are found, how text is
decoded, how outputs are written atomically and kept inside their folder."""
