"""survey: pre/post campaign surveys and knowledge assessments with honest effect sizes."""

__version__ = "0.1.0"
