"""Web plumbing shared by the respondent, console and report pages: templates, static files, errors."""
